import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Cluster, scalableTaskCount } from "./cluster";
import { Route } from "./routing";
import { Task, TaskPlatform, fargateTask } from "./task";
import { ResolvedService } from "./defaults";

export interface ServiceArgs {
  spec: ResolvedService;
  platform: TaskPlatform;
  repository: { arn: pulumi.Input<string>; url: pulumi.Input<string> };
  imageTag: string;
  cluster: Cluster;
  vpcId: pulumi.Input<string>;
  /** Private subnets and the `app` security group the tasks run in. */
  subnetIds: pulumi.Input<string[]>;
  securityGroupId: pulumi.Input<string>;
  /** This service's ALB rule. */
  route: Route;
  listeners: { productionArn: pulumi.Input<string>; testArn: pulumi.Input<string> };
  /** `app/<name>/<id>` of the ALB, for request metrics. */
  loadBalancerArnSuffix: pulumi.Input<string>;
  /** Role ECS uses to swap target groups and rules during blue/green deployments. */
  infrastructureRoleArn: pulumi.Input<string>;
  bakeTimeMinutes: number;
  minTasks: number;
  maxTasks: number;
  exec: boolean;
  /** The migration gate ECS invokes at PRE_SCALE_UP (absent: no gate). */
  migrationGate?: { functionArn: pulumi.Input<string>; roleArn: pulumi.Input<string> };
  /** Extra tags on the ECS service (and, propagated, its tasks). Default none. */
  tags?: Record<string, string>;
}

/** Target utilisation the service scales on. */
export const CPU_TARGET = 70;
export const MEMORY_TARGET = 75;
const DEREGISTRATION_DELAY_SECONDS = 30;
const HEALTH_CHECK_GRACE_SECONDS = 60;

/**
 * One service behind the ALB, deployed blue/green by ECS: two target groups, a production rule
 * and a test rule that both forward by weight (ECS moves the weights), the migration gate as a
 * lifecycle hook, and target-tracking autoscaling on CPU, memory and (optionally) requests.
 */
export class Service extends pulumi.ComponentResource {
  readonly service: aws.ecs.Service;
  readonly task: Task;
  readonly targetGroups: { blue: aws.lb.TargetGroup; green: aws.lb.TargetGroup };
  readonly productionRule: aws.lb.ListenerRule;
  readonly testRule: aws.lb.ListenerRule;

  constructor(name: string, args: ServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:compute:Service", name, {}, opts);
    const { spec } = args;
    const parent = { parent: this };

    this.task = fargateTask(
      this,
      name,
      { ...spec, container: spec.name, repository: args.repository, imageTag: args.imageTag, port: spec.port },
      { ...args.platform, exec: args.exec ? args.platform.exec : undefined },
    );

    const targetGroup = (color: string) =>
      new aws.lb.TargetGroup(
        // Named after the service alone: with the random suffix this stays within ALB's 32 characters.
        `${spec.name}-${color}`,
        {
          vpcId: args.vpcId,
          targetType: "ip",
          port: spec.port,
          protocol: "HTTP",
          deregistrationDelay: DEREGISTRATION_DELAY_SECONDS,
          healthCheck: { path: spec.healthCheckPath, matcher: "200-399", interval: 15, timeout: 5, healthyThreshold: 2, unhealthyThreshold: 3 },
          tags: { service: spec.name, color },
        },
        parent,
      );
    this.targetGroups = { blue: targetGroup("blue"), green: targetGroup("green") };
    const { blue, green } = this.targetGroups;

    // Both rules start on blue; ECS shifts the weights during a deployment, so Pulumi ignores them.
    const rule = (kind: string, listenerArn: pulumi.Input<string>) =>
      new aws.lb.ListenerRule(
        `${name}-${kind}`,
        {
          listenerArn,
          priority: args.route.priority,
          conditions: [{ pathPattern: { values: args.route.paths } }],
          actions: [{ type: "forward", forward: { targetGroups: [{ arn: blue.arn, weight: 100 }, { arn: green.arn, weight: 0 }] } }],
          tags: { service: spec.name },
        },
        { parent: this, ignoreChanges: ["actions"] },
      );
    this.productionRule = rule("production", args.listeners.productionArn);
    this.testRule = rule("test", args.listeners.testArn);

    this.service = new aws.ecs.Service(
      name,
      {
        name: spec.name,
        cluster: args.cluster.cluster.arn,
        taskDefinition: this.task.definition.arn,
        desiredCount: args.minTasks,
        capacityProviderStrategies: args.cluster.capacityProviderStrategy,
        availabilityZoneRebalancing: "ENABLED",
        healthCheckGracePeriodSeconds: HEALTH_CHECK_GRACE_SECONDS,
        enableExecuteCommand: args.exec,
        propagateTags: "SERVICE",
        enableEcsManagedTags: true,
        networkConfiguration: { subnets: args.subnetIds, securityGroups: [args.securityGroupId], assignPublicIp: false },
        deploymentConfiguration: {
          strategy: "BLUE_GREEN",
          bakeTimeInMinutes: String(args.bakeTimeMinutes),
          lifecycleHooks: args.migrationGate
            ? [{ hookTargetArn: args.migrationGate.functionArn, roleArn: args.migrationGate.roleArn, lifecycleStages: ["PRE_SCALE_UP"] }]
            : [],
        },
        loadBalancers: [
          {
            targetGroupArn: blue.arn,
            containerName: spec.name,
            containerPort: spec.port,
            advancedConfiguration: {
              alternateTargetGroupArn: green.arn,
              productionListenerRule: this.productionRule.arn,
              testListenerRule: this.testRule.arn,
              roleArn: args.infrastructureRoleArn,
            },
          },
        ],
        tags: { ...args.tags, service: spec.name },
      },
      // Autoscaling owns the count; application pipelines register new task-definition revisions
      // (copies of this one with a new image) and deploy them, so Pulumi does not roll them back.
      { parent: this, ignoreChanges: ["desiredCount", "taskDefinition"] },
    );

    this.autoscaling(name, args);
    this.registerOutputs({ serviceName: this.service.name });
  }

  private autoscaling(name: string, args: ServiceArgs): void {
    const parent = { parent: this };
    const target = scalableTaskCount(this, name, args.cluster, this.service, { min: args.minTasks, max: args.maxTasks });
    const tracking = (policy: string, config: aws.types.input.appautoscaling.PolicyTargetTrackingScalingPolicyConfiguration) =>
      new aws.appautoscaling.Policy(
        `${name}-${policy}`,
        {
          policyType: "TargetTrackingScaling",
          serviceNamespace: target.serviceNamespace,
          scalableDimension: target.scalableDimension,
          resourceId: target.resourceId,
          targetTrackingScalingPolicyConfiguration: { scaleInCooldown: 300, scaleOutCooldown: 60, ...config },
        },
        parent,
      );
    tracking("cpu", { targetValue: CPU_TARGET, predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageCPUUtilization" } });
    tracking("memory", { targetValue: MEMORY_TARGET, predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageMemoryUtilization" } });
    if (args.spec.requestsPerTarget === undefined) return;

    // ALBRequestCountPerTarget names one target group, but blue/green alternates between two:
    // track (requests to blue + requests to green) / running tasks instead.
    const requests = (id: string, tg: aws.lb.TargetGroup) => ({
      id,
      returnData: false,
      metricStat: {
        stat: "Sum",
        metric: {
          namespace: "AWS/ApplicationELB",
          metricName: "RequestCount",
          dimensions: [
            { name: "LoadBalancer", value: args.loadBalancerArnSuffix },
            { name: "TargetGroup", value: tg.arnSuffix },
          ],
        },
      },
    });
    tracking("requests", {
      targetValue: args.spec.requestsPerTarget,
      customizedMetricSpecification: {
        metrics: [
          requests("blue", this.targetGroups.blue),
          requests("green", this.targetGroups.green),
          {
            id: "tasks",
            returnData: false,
            metricStat: {
              stat: "Average",
              metric: {
                namespace: "ECS/ContainerInsights",
                metricName: "RunningTaskCount",
                dimensions: [
                  { name: "ClusterName", value: args.cluster.cluster.name },
                  { name: "ServiceName", value: this.service.name },
                ],
              },
            },
          },
          { id: "perTask", label: "ALB requests per task", expression: "(FILL(blue, 0) + FILL(green, 0)) / tasks", returnData: true },
        ],
      },
    });
  }
}
