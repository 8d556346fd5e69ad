import { Row, absent, atLeast, atMost, is, not, present } from "./engine";

/** Default administrator names the peers refuse (Redshift's `awsuser`, the engines' own defaults). */
const DEFAULT_ADMINS = ["awsuser", "admin", "postgres", "root"];

/**
 * Identity through settings: a strong account password policy (CIS AWS Foundations 1.8-1.9 as
 * checkov reads them: 14 characters, every class, 24 remembered, 90 days), IAM authentication
 * for databases, no unauthenticated or API-key access to identity pools and GraphQL APIs, MFA
 * and threat protection on user pools, no root on notebooks, AUTH on Redis, no default admin
 * names. Peer lists of 2026-12-01: checkov CKV_AWS_9-15, 31, 161, 162, 170, 307, 359, 366, 391;
 * FSBP IAM.7, IAM.10, RDS.10, RDS.12, RDS.24, RDS.25, Neptune.7, SageMaker.3, Redshift.8,
 * ElastiCache.6, AppSync.5, Cognito.1; cdk-nag RDS6, N5, RS3, AEC6, COG1, COG2, COG7.
 */
export const IDENTITY: Row[] = [
  { type: "aws:iam/accountPasswordPolicy:AccountPasswordPolicy", path: "minimumPasswordLength", expect: atLeast(14) },
  ...["requireLowercaseCharacters", "requireUppercaseCharacters", "requireNumbers", "requireSymbols"].map((path): Row => ({ type: "aws:iam/accountPasswordPolicy:AccountPasswordPolicy", path, expect: is(true) })),
  { type: "aws:iam/accountPasswordPolicy:AccountPasswordPolicy", path: "passwordReusePrevention", expect: atLeast(24) },
  { type: "aws:iam/accountPasswordPolicy:AccountPasswordPolicy", path: "maxPasswordAge", expect: atMost(90) },
  ...["aws:rds/instance:Instance", "aws:rds/cluster:Cluster", "aws:neptune/cluster:Cluster"].map((type): Row => ({ type, path: "iamDatabaseAuthenticationEnabled", expect: is(true), why: "database logins would be long-lived passwords only" })),
  ...DEFAULT_ADMINS.flatMap((name): Row[] => [
    { type: "aws:rds/cluster:Cluster", path: "masterUsername", expect: not(name), why: "a default admin name is the first one guessed" },
    { type: "aws:rds/instance:Instance", path: "username", expect: not(name), why: "a default admin name is the first one guessed" },
    { type: "aws:redshift/cluster:Cluster", path: "masterUsername", expect: not(name), why: "a default admin name is the first one guessed" },
  ]),
  { type: "aws:elasticache/replicationGroup:ReplicationGroup", path: "authToken", expect: present, when: { engine: "redis" }, why: "Redis without AUTH admits any client that reaches it" },
  { type: "aws:docdb/cluster:Cluster", path: "manageMasterUserPassword", expect: is(true), why: "Secrets Manager keeps and rotates the admin password, not the program's config" },
  { type: "aws:cognito/identityPool:IdentityPool", path: "allowUnauthenticatedIdentities", expect: not(true) },
  { type: "aws:cognito/userPool:UserPool", path: "mfaConfiguration", expect: is("ON") },
  { type: "aws:cognito/userPool:UserPool", path: "passwordPolicy.minimumLength", expect: atLeast(8) },
  { type: "aws:cognito/userPool:UserPool", path: "userPoolAddOns.advancedSecurityMode", expect: is("ENFORCED") },
  { type: "aws:appsync/graphQLApi:GraphQLApi", path: "authenticationType", expect: not("API_KEY"), why: "an API key is a shared secret in every client" },
  { type: "aws:sagemaker/notebookInstance:NotebookInstance", path: "rootAccess", expect: is("Disabled") },
  { type: "aws:qldb/ledger:Ledger", path: "permissionsMode", expect: is("STANDARD") },
  // checkov CKV_AWS_295 (DatasyncLocationExposesSecrets.py forbids any secret_key), read 2026-12-01. The pinned
  // provider has no Secrets Manager alternative for this type (LocationObjectStorageArgs: accessKey, secretKey only).
  { type: "aws:datasync/locationObjectStorage:LocationObjectStorage", path: "secretKey", expect: absent, why: "the key would be in the program, the plan and the state in plain text" },
];
