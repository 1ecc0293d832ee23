import { readAudioFile } from '../../src/audio/index.js';
import type { RecognitionResult, Recognizer, RecognizerStream, StreamOptions } from '../../src/recognizer/index.js';

/**
 * A file streamed in 0.5 s packets through a stream with `options` and, beside it, a plain twin that is fed and
 * decoded alike: for options that only change how words are shown. `afterPacket` sees both after every packet (to
 * compare their partials); the utterances of each come back, in order, the last one from `finish`.
 */
export async function streamBesideTwin(
  recognizer: Recognizer,
  path: string,
  options: StreamOptions,
  afterPacket: (stream: RecognizerStream, twin: RecognizerStream) => void,
): Promise<{ shown: RecognitionResult[]; plain: RecognitionResult[] }> {
  const audio = await readAudioFile(path);
  const stream = recognizer.createStream(options);
  const twin = recognizer.createStream();
  const step = Math.round(audio.sampleRate * 0.5);
  const shown: RecognitionResult[] = [];
  const plain: RecognitionResult[] = [];
  for (let at = 0; at < audio.samples.length; at += step) {
    for (const [s, out] of [[stream, shown], [twin, plain]] as const) {
      s.acceptWaveform(audio.samples.subarray(at, at + step), audio.sampleRate);
      await s.decode();
      while (s.hasResult()) out.push(s.popResult()!);
    }
    afterPacket(stream, twin);
  }
  shown.push(await stream.finish());
  plain.push(await twin.finish());
  return { shown, plain };
}
