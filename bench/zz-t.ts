import bench from './console-team-page.bench';
import { UsageReports } from '@claw/core';
import { SqliteUsageLedger } from '@claw/sqlite';
const stats = new Map<string, { n: number; ms: number }>();
function wrap(proto: any, name: string, label: string) {
  const orig = proto[name];
  proto[name] = async function (...args: any[]) {
    const t = performance.now();
    try { return await orig.apply(this, args); } finally {
      const s = stats.get(label) ?? { n: 0, ms: 0 }; s.n++; s.ms += performance.now() - t; stats.set(label, s);
    }
  };
}
wrap(UsageReports.prototype, 'report', 'report');
wrap(SqliteUsageLedger.prototype, 'query', 'ledger.query');
wrap(SqliteUsageLedger.prototype, 'aggregate', 'ledger.aggregate');
const cpu = process.cpuUsage();
console.log(await bench());
console.log(stats, process.cpuUsage(cpu));
