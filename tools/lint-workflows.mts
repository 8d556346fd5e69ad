/**
 * `npm run lint:workflows [files...]`: validates GitHub Actions workflows with GitHub's own parser
 * (@actions/workflow-parser, the one behind the Actions language service): schema, keys, expression
 * syntax and contexts. Exits 1 listing every problem. Defaults to .github/workflows/*.
 */
import fs from "fs";
import path from "path";
import { NoOperationTraceWriter, convertWorkflowTemplate, parseWorkflow } from "@actions/workflow-parser";

const dir = path.join(process.cwd(), ".github", "workflows");
const files = process.argv.length > 2 ? process.argv.slice(2) : fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).map((f) => path.join(dir, f));
let problems = 0;
for (const file of files) {
  const result = parseWorkflow({ name: path.relative(process.cwd(), file), content: fs.readFileSync(file, "utf8") }, new NoOperationTraceWriter());
  if (result.value) await convertWorkflowTemplate(result.context, result.value);
  for (const e of result.context.errors.getErrors()) {
    console.error(e.message);
    problems++;
  }
}
console.log(`${files.length} workflow(s), ${problems} problem(s)`);
process.exitCode = problems ? 1 : 0;
