import { execFile } from "child_process";

/**
 * Calls `exportName(...args)` of a TypeScript module in a fresh node (through tsx) and resolves
 * with its JSON result, or rejects with the child's error output. For test work that is one long
 * synchronous computation (building a TypeScript program takes seconds): run in mocha's own
 * process it would hold up every other test, here it runs beside them.
 */
export function inChild<T>(modulePath: string, exportName: string, ...args: unknown[]): Promise<T> {
  const script = `Promise.resolve(require(${JSON.stringify(modulePath)})[${JSON.stringify(exportName)}](...${JSON.stringify(args)}))
    .then((r) => process.stdout.write(JSON.stringify(r)), (e) => { console.error(e && e.stack || e); process.exit(1); });`;
  return new Promise((resolve, reject) =>
    execFile(process.execPath, ["--require", require.resolve("tsx/cjs"), "-e", script], { maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) =>
      err ? reject(new Error(`${exportName} in ${modulePath} failed:\n${stderr}`)) : resolve(JSON.parse(stdout) as T),
    ),
  );
}
