export {
  DEFAULT_FEATURE_CONFIG,
  FeatureConfigError,
  checkFeatureConfig,
  diffFeatureConfig,
  frameCount,
  type FeatureConfig,
} from './config.js';
export { MfccExtractor, computeMfcc, type FeatureFrames } from './mfcc.js';
export { SlidingCmn, type SlidingCmnConfig } from './sliding-cmn.js';
