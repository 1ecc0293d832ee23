declare module 'node-wav' {
  interface DecodeResult {
    sampleRate: number;
    channelData: Float32Array[];
  }
  interface EncodeOptions {
    sampleRate: number;
    float?: boolean;
    bitDepth?: number;
  }
  function decode(buffer: Buffer | ArrayBuffer | Uint8Array): DecodeResult;
  function encode(channelData: Float32Array[], options: EncodeOptions): Buffer;
  const wav: { decode: typeof decode; encode: typeof encode };
  export default wav;
}
