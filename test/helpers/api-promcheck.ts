// A strict checker of the Prometheus text exposition format (0.0.4): throws on the first bad line.
const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL = '[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\[\\\\"n])*"';
const VALUE = '(?:[+-]?(?:\\d+\\.?\\d*(?:[eE][+-]?\\d+)?|\\.\\d+(?:[eE][+-]?\\d+)?)|NaN|[+-]Inf)';
const SAMPLE = new RegExp(`^(${NAME})(\\{(?:${LABEL}(?:,${LABEL})*)?,?\\})? (${VALUE})(?: -?\\d+)?$`);
const HELP = new RegExp(`^# HELP (${NAME}) .*$`);
const TYPE = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`);
const SUFFIXES = ['_bucket', '_sum', '_count', '_total', '_created', ''];

/** Returns every sample as "name{labels}" → value. */
export function checkPromText(text: string): Map<string, number> {
  if (!text.endsWith('\n')) throw new Error('exposition must end with a newline');
  const types = new Map<string, string>();
  const samples = new Map<string, number>();
  const lines = text.split('\n').slice(0, -1);
  lines.forEach((line, i) => {
    const where = `line ${i + 1}: ${line}`;
    if (line === '') return;
    if (line.startsWith('#')) {
      const t = TYPE.exec(line);
      if (t) {
        if (types.has(t[1]!)) throw new Error(`duplicate TYPE, ${where}`);
        types.set(t[1]!, t[2]!);
        return;
      }
      if (HELP.test(line) || !/^# (HELP|TYPE) /.test(line)) return;
      throw new Error(`malformed comment, ${where}`);
    }
    const m = SAMPLE.exec(line);
    if (!m) throw new Error(`malformed sample, ${where}`);
    const name = m[1]!;
    const family = SUFFIXES.map((s) => (s && name.endsWith(s) ? name.slice(0, -s.length) : name)).find((f) => types.has(f));
    if (!family && !types.has(name)) throw new Error(`sample without a TYPE, ${where}`);
    const key = name + (m[2] && m[2] !== '{}' ? m[2] : '');
    if (samples.has(key)) throw new Error(`duplicate series, ${where}`);
    samples.set(key, Number(m[3]!.replace('Inf', 'Infinity')));
  });
  if (samples.size === 0) throw new Error('no samples');
  return samples;
}
