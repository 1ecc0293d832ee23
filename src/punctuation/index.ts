export { MARKS, MARK_CHAR, type Mark } from './marks.js';
export { CaseTable } from './truecase.js';
export { PunctuationTrellis, PauseCueError } from './viterbi.js';
export { PunctuationModel, PUNCTUATION_DIR, defaultPunctuationModel, punctuateText } from './model.js';
export { buildPunctuationModel, punctuationModelFiles, readUnits, type PunctuationBuild, type PunctuationBuildOptions } from './build.js';
export { evaluatePunctuation, type PunctuationScores, type Prf } from './evaluate.js';
