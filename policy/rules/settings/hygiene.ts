import { Row, atLeast, includes, is, not, oneOf, present } from "./engine";

/** Task-definition tag with which the program marks a container that needs a writable root (its service opted out in config). */
export const WRITABLE_ROOT_TAG = "writable-root";
/** Tag on an alarm whose actions the program turns off by design, its value the reason (components/observability/alarms.ts). */
export const ACTIONS_OFF_TAG = "actions-off";

/**
 * Compute hygiene: IMDSv2 on every way to launch an instance; containers neither privileged,
 * nor root, nor with a writable root file system unless the service opted out
 * (`readOnlyRootFilesystem: false`, which the program records in the `writable-root` tag).
 * checkov CKV_AWS_79, 210, 334, 336; FSBP EC2.8, ECS.4, ECS.5, read 2026-11-27 (ids corrected
 * 2026-12-01 against the peers' lists: cdk-nag has no IMDSv2 rule; its EC28 is detailed
 * monitoring and ECS2 environment variables).
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
  // Round two (peer lists of 2026-12-01): checkov CKV_AWS_316, 329, 330, 332, 335, 341, 371; FSBP ECS.1, ECS.3,
  // ECS.10, CodeBuild.5, AutoScaling.4, EFS.3, EFS.4.
  { type: "aws:ecs/taskDefinition:TaskDefinition", path: "pidMode", expect: not("host"), why: "containers would see and signal the host's processes" },
  { type: "aws:ecs/taskDefinition:TaskDefinition", path: "ipcMode", expect: not("host"), why: "containers would share the host's IPC namespace" },
  { type: "aws:ecs/taskDefinition:TaskDefinition", path: "networkMode", expect: not("host"), why: "host networking bypasses the task's security groups" },
  { type: "aws:ecs/service:Service", path: "platformVersion", expect: oneOf("LATEST", undefined), why: "a pinned Fargate platform misses its security patches" },
  { type: "aws:codebuild/project:Project", path: "environment.privilegedMode", expect: not(true), why: "privileged builds can reach the build host" },
  // Launch templates default the hop limit to 1; 2 lets containers on the instance reach its credentials.
  { type: "aws:ec2/launchTemplate:LaunchTemplate", path: "metadataOptions.httpPutResponseHopLimit", expect: oneOf(1, undefined) },
  { type: "aws:ec2/launchConfiguration:LaunchConfiguration", path: "metadataOptions.httpPutResponseHopLimit", expect: oneOf(1, undefined) },
  { type: "aws:sagemaker/notebookInstance:NotebookInstance", path: "instanceMetadataServiceConfiguration.minimumInstanceMetadataServiceVersion", expect: is("2") },
  { type: "aws:efs/accessPoint:AccessPoint", path: "rootDirectory.path", expect: present, why: "without a root directory the access point exposes the whole file system" },
  { type: "aws:efs/accessPoint:AccessPoint", path: "posixUser.uid", expect: present, why: "without a POSIX user clients choose their own identity" },
  // cdk-nag AS1 (AutoScalingGroupCooldownPeriod.ts, read 2026-12-01): unset is the 300-second default; 0 lets
  // scaling activities follow each other before the last one's instances count.
  { type: "aws:autoscaling/group:Group", path: "defaultCooldown", expect: not(0), why: "a 0 cooldown starts the next scaling activity before the last one's instances count" },
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
  // Round two (peer lists of 2026-12-01): checkov CKV_AWS_138, 152, 261, 328; FSBP ELB.7, ELB.9, ELB.12, ELB.14; cdk-nag ELB3, ELB4.
  { type: "aws:elb/loadBalancer:LoadBalancer", path: "crossZoneLoadBalancing", expect: oneOf(true, undefined) },
  { type: "aws:elb/loadBalancer:LoadBalancer", path: "connectionDraining", expect: is(true), why: "in-flight requests are cut when an instance leaves" },
  { type: "aws:elb/loadBalancer:LoadBalancer", path: "desyncMitigationMode", expect: oneOf("defensive", "strictest", undefined) },
  ...LBS.map((type): Row => ({ type, path: "desyncMitigationMode", expect: oneOf("defensive", "strictest", undefined), why: "monitor mode lets request-smuggling attempts through" })),
  ...LBS.map((type): Row => ({ type, path: "enableCrossZoneLoadBalancing", expect: is(true), when: { loadBalancerType: "network" } })),
  ...["aws:lb/targetGroup:TargetGroup", "aws:alb/targetGroup:TargetGroup"].map((type): Row => ({ type, path: "healthCheck.enabled", expect: oneOf(true, undefined) })),
];
export const LB_PROD: Row[] = LBS.map((type): Row => ({ type, path: "enableDeletionProtection", expect: is(true) }));

/**
 * Round two (peer lists of 2026-12-01): checkov CKV_AWS_65, 67, 73, 75, 80, 85, 101, 126, 129, 193, 194, 197,
 * 223, 242-244, 251, 276, 284, 285, 314, 319, 324, CKV2_AWS_4, 10; FSBP ECS.12, CloudTrail.1, CloudTrail.5,
 * APIGateway.1, APIGateway.3, RDS.9, RDS.36, RDS.37, DocumentDB.4, Neptune.2, StepFunctions.1, AppSync.2,
 * CodeBuild.4; cdk-nag ECS4, EC28, APIG6, DOC5, SF1, SF2, ASC3, MSK6.
 */
const LOGGING_ROUND_TWO: Row[] = [
  // ECS cluster settings have one name (containerInsights); "enhanced" is the newer level (both turn it on).
  { type: "aws:ecs/cluster:Cluster", path: "settings[].value", expect: oneOf("enabled", "enhanced"), nonEmpty: true, why: "Container Insights is off unless the cluster turns it on" },
  { type: "aws:ecs/cluster:Cluster", path: "configuration.executeCommandConfiguration.logging", expect: not("NONE"), why: "ECS Exec sessions would leave no record" },
  { type: "aws:apigateway/stage:Stage", path: "xrayTracingEnabled", expect: is(true) },
  { type: "aws:apigateway/methodSettings:MethodSettings", path: "settings.loggingLevel", expect: oneOf("ERROR", "INFO") },
  { type: "aws:apigateway/methodSettings:MethodSettings", path: "settings.dataTraceEnabled", expect: oneOf(false, undefined), why: "data traces log request and response bodies, secrets included" },
  // Log types per engine: https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_LogAccess.Procedural.UploadtoCloudWatch.html
  { type: "aws:rds/cluster:Cluster", path: "enabledCloudwatchLogsExports", expect: includes("postgresql"), when: { engine: "aurora-postgresql" } },
  { type: "aws:rds/cluster:Cluster", path: "enabledCloudwatchLogsExports", expect: includes("audit", "error", "general", "slowquery"), when: { engine: "aurora-mysql" } },
  { type: "aws:rds/instance:Instance", path: "enabledCloudwatchLogsExports", expect: present },
  { type: "aws:docdb/cluster:Cluster", path: "enabledCloudwatchLogsExports", expect: includes("audit") },
  { type: "aws:neptune/cluster:Cluster", path: "enableCloudwatchLogsExports", expect: includes("audit") },
  { type: "aws:cloudtrail/trail:Trail", path: "isMultiRegionTrail", expect: is(true) },
  { type: "aws:cloudtrail/trail:Trail", path: "cloudWatchLogsGroupArn", expect: present, why: "alarms on API activity need the trail in CloudWatch Logs" },
  { type: "aws:cloudtrail/trail:Trail", path: "enableLogging", expect: oneOf(true, undefined) },
  { type: "aws:sfn/stateMachine:StateMachine", path: "loggingConfiguration.level", expect: is("ALL") },
  { type: "aws:sfn/stateMachine:StateMachine", path: "tracingConfiguration.enabled", expect: is(true) },
  { type: "aws:appsync/graphQLApi:GraphQLApi", path: "logConfig.fieldLogLevel", expect: oneOf("ERROR", "ALL") },
  { type: "aws:cloudwatch/metricAlarm:MetricAlarm", path: "actionsEnabled", expect: oneOf(true, undefined), why: "an alarm with actions off pages nobody", exemptTag: ACTIONS_OFF_TAG },
  { type: "aws:mq/broker:Broker", path: "logs.audit", expect: is(true), when: { engineType: "ActiveMQ" } },
  { type: "aws:globalaccelerator/accelerator:Accelerator", path: "attributes.flowLogsEnabled", expect: is(true) },
  { type: "aws:msk/cluster:Cluster", path: "loggingInfo.brokerLogs", expect: present },
  { type: "aws:ec2/instance:Instance", path: "monitoring", expect: is(true), why: "detailed monitoring (1-minute metrics)" },
  { type: "aws:ec2/launchConfiguration:LaunchConfiguration", path: "enableMonitoring", expect: oneOf(true, undefined) },
  { type: "aws:codebuild/project:Project", path: "logsConfig.cloudwatchLogs.status", expect: oneOf("ENABLED", undefined) },
  { type: "aws:athena/workgroup:Workgroup", path: "configuration.publishCloudwatchMetricsEnabled", expect: oneOf(true, undefined) },
  { type: "aws:msk/cluster:Cluster", path: "enhancedMonitoring", expect: oneOf("PER_BROKER", "PER_TOPIC_PER_BROKER", "PER_TOPIC_PER_PARTITION"), why: "DEFAULT monitoring leaves broker health unwatched" },
  { type: "aws:emr/cluster:Cluster", path: "logUri", expect: present, why: "step and node logs vanish with the cluster" },
  ...["schedulerLogs", "workerLogs", "webserverLogs"].map((log): Row => ({ type: "aws:mwaa/environment:Environment", path: `loggingConfiguration.${log}.enabled`, expect: is(true) })),
];

/**
 * Prod only: enhanced monitoring and Performance Insights on every database instance. They are
 * paid per instance, and a dev or example stack may turn them off (`monitoringIntervalSeconds: 0`
 * is a documented Aurora component setting). checkov CKV_AWS_118, 353; FSBP RDS.6, read 2026-12-01.
 */
export const MONITORING_PROD: Row[] = ["aws:rds/instance:Instance", "aws:rds/clusterInstance:ClusterInstance"].flatMap((type): Row[] => [
  { type, path: "monitoringInterval", expect: atLeast(1), why: "enhanced monitoring is off at 0" },
  { type, path: "performanceInsightsEnabled", expect: is(true) },
]);

/** Logging set on the resource itself: API stages, Lambda-less services. S3, CDN and VPC logs are stack checks (logging.ts). */
export const LOGGING: Row[] = [
  { type: "aws:apigatewayv2/stage:Stage", path: "accessLogSettings.destinationArn", expect: { kind: "present" } },
  { type: "aws:apigateway/stage:Stage", path: "accessLogSettings.destinationArn", expect: { kind: "present" } },
  { type: "aws:mq/broker:Broker", path: "logs.general", expect: is(true) },
  { type: "aws:opensearch/domain:Domain", path: "logPublishingOptions[].enabled", expect: is(true) },
  { type: "aws:elasticsearch/domain:Domain", path: "logPublishingOptions[].enabled", expect: is(true) },
  // Error, audit and slow logs (checkov CKV_AWS_84, 317; FSBP ES.4, ES.5, OpenSearch.4, OpenSearch.5; cdk-nag OS9). Audit logs need fine-grained access control, which exposure-settings requires.
  ...["aws:opensearch/domain:Domain", "aws:elasticsearch/domain:Domain"].map((type): Row => ({ type, path: "logPublishingOptions[].logType", expect: includes("ES_APPLICATION_LOGS", "AUDIT_LOGS", "SEARCH_SLOW_LOGS", "INDEX_SLOW_LOGS") })),
  { type: "aws:eks/cluster:Cluster", path: "enabledClusterLogTypes", expect: includes("api", "audit", "authenticator", "controllerManager", "scheduler") },
  { type: "aws:cloudtrail/trail:Trail", path: "enableLogFileValidation", expect: is(true) },
  ...LOGGING_ROUND_TWO,
  // checkov CKV_AWS_50 (LambdaXrayEnabled.py, read 2026-12-01) accepts Active and PassThrough (trace when the caller sampled).
  { type: "aws:lambda/function:Function", path: "tracingConfig.mode", expect: oneOf("Active", "PassThrough"), why: "X-Ray tracing" },
  // FSBP EC2.51 (prowler ec2_client_vpn_endpoint_connection_logging_enabled, read 2026-12-01).
  { type: "aws:ec2clientvpn/endpoint:Endpoint", path: "connectionLogOptions.enabled", expect: is(true), why: "client connections would leave no record" },
];
