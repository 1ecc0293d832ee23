/**
 * The primitive rules of option values, shared by the recognizer's options check (recognizer/options-validation.ts)
 * and the decoders' (decoder/beam-options.ts), so the same bad value of the same option is refused with the same
 * OptionsError and the same message at either layer. Each rule takes the option's name as the library spells it
 * and the value, and returns the value typed or throws. Messages show at most a few dozen characters of the value.
 */
import { echo } from './echo.js';
import { OptionsError } from './options-error.js';

/** Refuses option `option` with `message`. */
export function refuseOption(option: string, message: string): never {
  throw new OptionsError(option, message);
}

export function positiveInteger(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) refuseOption(name, `${name} must be a positive integer, got ${echo(value)}`);
  return value;
}

export function nonNegativeInteger(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) refuseOption(name, `${name} must be a non-negative integer, got ${echo(value)}`);
  return value;
}

export function positiveNumber(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) refuseOption(name, `${name} must be a positive number, got ${echo(value)}`);
  return value;
}

export function finiteNumber(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) refuseOption(name, `${name} must be a finite number, got ${echo(value)}`);
  return value;
}

/** A log10 probability: up to 0; -Infinity (impossible) is one, NaN is not. */
export function log10Probability(name: string, value: unknown): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value > 0) refuseOption(name, `${name} must be a log10 probability (a number up to 0), got ${echo(value)}`);
  return value;
}

export function boolean(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') refuseOption(name, `${name} must be true or false, got ${echo(value)}`);
  return value;
}
