// The text formats CloudWatch writes in state reasons and events, which come from Java: doubles as
// `Double.toString` prints them, dates as `dd/MM/yy HH:mm:ss` and `yyyy-MM-dd'T'HH:mm:ss.SSSZ`.

/** A number as Java prints a double: `5.0`, `0.25`, `1.0E7`, `1.5E-4`. */
export function javaDouble(value: number): string {
  if (!Number.isFinite(value))
    return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && (magnitude >= 1e7 || magnitude < 1e-3)) {
    const [mantissa = '0', exponent = '0'] = value.toExponential().split('e');
    const withPoint = mantissa.includes('.') ? mantissa : `${mantissa}.0`;
    return `${withPoint}E${Number(exponent)}`;
  }
  const text = String(value);
  return text.includes('.') ? text : `${text}.0`;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `02/10/19 16:59:00` (UTC), the datapoint dates of a "Threshold Crossed" reason. */
export function reasonDate(time: number): string {
  const d = new Date(time);
  return (
    `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCFullYear() % 100)} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
  );
}

/** `2019-10-02T17:04:40.985+0000`, the timestamps of reason data, history and events. */
export function javaTimestamp(time: number | string | Date): string {
  const iso = new Date(time).toISOString();
  return `${iso.slice(0, 23)}+0000`;
}

/** `Friday 30 April, 2021 06:51:49 UTC`, the date in a composite alarm's reason. */
export function longDate(time: number | string | Date): string {
  const d = new Date(time);
  const day = d.toLocaleDateString('en-US', { weekday: 'long', timeZone: 'UTC' });
  const month = d.toLocaleDateString('en-US', { month: 'long', timeZone: 'UTC' });
  return (
    `${day} ${d.getUTCDate()} ${month}, ${d.getUTCFullYear()} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC`
  );
}

/** `1 datapoint` / `3 datapoints`. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
