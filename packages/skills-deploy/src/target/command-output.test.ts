import { describe, expect, it } from 'vitest';
import { OutputCapture } from './command-output';

describe('OutputCapture', () => {
  it('reads directives split across chunks and a last line without a newline', () => {
    const out = new OutputCapture(1024);
    out.push(Buffer.from('log line\nclaw.s'), 'stdout');
    out.push(Buffer.from('ha=abc123\nclaw.commit=def456 Fix: the thing\r\nclaw.current=999'), 'stdout');
    out.end();
    expect(out.last('sha')).toBe('abc123');
    expect(out.all('commit')).toEqual(['def456 Fix: the thing']);
    expect(out.last('current')).toBe('999');
  });

  it('ignores directives on stderr and inside an overlong line', () => {
    const out = new OutputCapture(1024);
    out.push(Buffer.from('claw.sha=from-stderr\n'), 'stderr');
    out.push(Buffer.from('x'.repeat(20_000)), 'stdout');
    out.push(Buffer.from('claw.sha=tail-of-long-line\nclaw.sha=real\n'), 'stdout');
    out.end();
    expect(out.all('sha')).toEqual(['real']);
  });

  it('keeps the last bytes of the combined output and says how much it dropped', () => {
    const out = new OutputCapture(10);
    out.push(Buffer.from('0123456789'), 'stdout');
    out.push(Buffer.from('abcdef'), 'stderr');
    expect(out.truncated).toBe(true);
    expect(out.tail()).toBe('[6 earlier bytes dropped]\n6789abcdef');
  });
});
