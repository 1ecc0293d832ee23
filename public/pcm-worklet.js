// AudioWorklet: float samples at the context rate (16 kHz) → 16-bit little-endian PCM packets of 100 ms.
class PcmWriter extends AudioWorkletProcessor {
  constructor(options) {
    super();
    this.size = options.processorOptions?.packetSamples ?? 1600;
    this.buffer = new Int16Array(this.size);
    this.fill = 0;
    this.port.onmessage = (event) => {
      if (event.data === 'flush') {
        const rest = this.buffer.slice(0, this.fill);
        this.fill = 0;
        this.port.postMessage({ flushed: true, pcm: rest.buffer }, [rest.buffer]);
      }
    };
  }

  process(inputs) {
    const channel = inputs[0]?.[0];
    if (!channel) return true;
    for (let i = 0; i < channel.length; i++) {
      const s = Math.max(-1, Math.min(1, channel[i]));
      this.buffer[this.fill++] = s < 0 ? Math.round(s * 32768) : Math.round(s * 32767);
      if (this.fill === this.size) {
        const packet = this.buffer;
        this.port.postMessage({ pcm: packet.buffer }, [packet.buffer]);
        this.buffer = new Int16Array(this.size);
        this.fill = 0;
      }
    }
    return true;
  }
}

registerProcessor('pcm-writer', PcmWriter);
