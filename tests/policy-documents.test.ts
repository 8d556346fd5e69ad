import { ruleCaseSpecs } from "./support/caseSpecs";
import { DOCUMENT_CASES } from "./support/policyDocumentCases";

/**
 * The document rules' cases (tests/support/policyDocumentCases.ts) as one small Pulumi program,
 * evaluated by the plan's harness (tests/support/caseSpecs.ts).
 */
describe("Policy pack: the document rules, each failing and passing in a program", function () {
  this.timeout(120000);
  ruleCaseSpecs("policy-documents", DOCUMENT_CASES);
});
