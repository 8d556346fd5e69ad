import { Row, is, not } from "./engine";

/** Task-definition tag with which the program marks a container that needs a writable root (its service opted out in config). */
export const WRITABLE_ROOT_TAG = "writable-root";

/**
 * Compute hygiene: IMDSv2 on every way to launch an instance; containers neither privileged,
 * nor root, nor with a writable root file system unless the service opted out
 * (`readOnlyRootFilesystem: false`, which the program records in the `writable-root` tag).
 * checkov CKV_AWS_79, 341, 97, 336, 41; cdk-nag EC28, ECS2, read 2026-11-27.
 */
export const COMPUTE: Row[] = [
  { type: "aws:ec2/instance:Instance", path: "metadataOptions.httpTokens", expect: is("required") },
  { type: "aws:ec2/launchTemplate:LaunchTemplate", path: "metadataOptions.httpTokens", expect: is("required") },
  { type: "aws:ec2/launchConfiguration:LaunchConfiguration", path: "metadataOptions.httpTokens", expect: is("required") },
  { type: "aws:ec2/spotInstanceRequest:SpotInstanceRequest", path: "metadataOptions.httpTokens", expect: is("required") },
  { type: "aws:ecs/taskDefinition:TaskDefinition", path: "containerDefinitions@json[].privileged", expect: not(true) },
  { type: "aws:ecs/taskDefinition:TaskDefinition", path: "containerDefinitions@json[].user", expect: not("root") },
  { type: "aws:ecs/taskDefinition:TaskDefinition", path: "containerDefinitions@json[].user", expect: not("0") },
  { type: "aws:ecs/taskDefinition:TaskDefinition", path: "containerDefinitions@json[].readonlyRootFilesystem", expect: is(true), exemptTag: WRITABLE_ROOT_TAG },
  { type: "aws:batch/jobDefinition:JobDefinition", path: "containerProperties@json.privileged", expect: not(true) },
];

/**
 * Load-balancer hygiene: application load balancers drop invalid header fields (request
 * smuggling) and every load balancer writes access logs. Deletion protection is prod's
 * (LB_PROD). checkov CKV_AWS_131, 91, 92, 150; cdk-nag ELB1, ELB2, read 2026-11-27.
 */
const LBS = ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"];
export const LOAD_BALANCERS: Row[] = [
  ...LBS.map((type): Row => ({ type, path: "dropInvalidHeaderFields", expect: is(true), when: { loadBalancerType: "application" } })),
  ...LBS.map((type): Row => ({ type, path: "accessLogs.enabled", expect: is(true) })),
  { type: "aws:elb/loadBalancer:LoadBalancer", path: "accessLogs.enabled", expect: is(true) },
];
export const LB_PROD: Row[] = LBS.map((type): Row => ({ type, path: "enableDeletionProtection", expect: is(true) }));

/** Logging set on the resource itself: API stages, Lambda-less services. S3, CDN and VPC logs are stack checks (logging.ts). */
export const LOGGING: Row[] = [
  { type: "aws:apigatewayv2/stage:Stage", path: "accessLogSettings.destinationArn", expect: { kind: "present" } },
  { type: "aws:apigateway/stage:Stage", path: "accessLogSettings.destinationArn", expect: { kind: "present" } },
  { type: "aws:mq/broker:Broker", path: "logs.general", expect: is(true) },
  { type: "aws:opensearch/domain:Domain", path: "logPublishingOptions[].enabled", expect: is(true) },
  { type: "aws:elasticsearch/domain:Domain", path: "logPublishingOptions[].enabled", expect: is(true) },
  { type: "aws:eks/cluster:Cluster", path: "enabledClusterLogTypes[]", expect: { kind: "present" } },
  { type: "aws:cloudtrail/trail:Trail", path: "enableLogFileValidation", expect: is(true) },
];
