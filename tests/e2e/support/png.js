// Reading a PNG's header (ISO/IEC 15948 §5.2 signature, §11.2.2 IHDR) with its CRC checked.
const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// { width, height, bitDepth, colorType } of a PNG; throws when the signature or IHDR is wrong.
export function pngHeader(buf) {
  if (buf.length < 33 || !buf.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG signature');
  const length = buf.readUInt32BE(8);
  const type = buf.toString('latin1', 12, 16);
  if (length !== 13 || type !== 'IHDR') throw new Error(`first chunk is ${type} (${length} bytes), not IHDR`);
  const crc = buf.readUInt32BE(29);
  if (crc32(buf.subarray(12, 29)) !== crc) throw new Error('IHDR CRC mismatch');
  return {
    width: buf.readUInt32BE(16),
    height: buf.readUInt32BE(20),
    bitDepth: buf[24],
    colorType: buf[25],
  };
}
