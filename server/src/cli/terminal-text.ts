// Text a model wrote (or a project holds) is printed to a terminal as text: an escape sequence in it
// must not set the window title, clear the screen or colour what follows. Control characters are shown
// as their Unicode control pictures (ESC as ␛), newlines and tabs kept; `--json` output is not passed
// through here, since JSON escapes them itself. Pure.

export function terminalSafe(text: string): string {
  return text.replace(/\r\n/g, '\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f\u0080-\u009f]/g, (character) => {
    const code = character.charCodeAt(0);
    if (code < 0x20) return String.fromCharCode(0x2400 + code);
    if (code === 0x7f) return '\u2421';
    // C1 controls (CSI as one byte, among others) have no picture: their code, visibly.
    return `<U+${code.toString(16).toUpperCase().padStart(4, '0')}>`;
  });
}
