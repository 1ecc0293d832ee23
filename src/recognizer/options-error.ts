export { OptionsError } from '../util/options-error.js';
