import { Writable } from "node:stream";

/** A stream that keeps what is written to it as text, for a program's or a worker's output. */
export function textOutput(): Writable & { text: string } {
    const stream = new Writable({
        write(chunk: Buffer, _encoding, callback) {
            stream.text += chunk.toString();
            callback();
        },
    }) as Writable & { text: string };
    stream.text = "";
    return stream;
}
