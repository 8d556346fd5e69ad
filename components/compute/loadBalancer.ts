import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** Port of the blue/green test listener; the network opens it to the VPC's own NAT addresses only. */
export const TEST_LISTENER_PORT = 8443;
/** TLS 1.3 with 1.2 fallback, forward-secret ciphers only. */
export const TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

export interface LoadBalancerArgs {
  publicSubnetIds: pulumi.Input<string[]>;
  securityGroupId: pulumi.Input<string>;
  /** A validated ACM certificate for the domain. */
  certificateArn: pulumi.Input<string>;
  /** Bucket for access logs (SSE-S3, ELB may write under `alb/`). */
  accessLogsBucket: pulumi.Input<string>;
  deletionProtection: boolean;
}

export interface LoadBalancer {
  alb: aws.lb.LoadBalancer;
  /** Production HTTPS listener (443). */
  https: aws.lb.Listener;
  /** Test listener ECS routes green tasks' test traffic through during a deployment. */
  test: aws.lb.Listener;
}

const notFound = { type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "404", messageBody: "Not found" } };

/** Internet-facing ALB: HTTPS only (HTTP redirects), a fixed 404 unless a rule matches, access logs. */
export function loadBalancer(parent: pulumi.Resource, name: string, args: LoadBalancerArgs): LoadBalancer {
  const opts = { parent };
  const alb = new aws.lb.LoadBalancer(
    name,
    {
      loadBalancerType: "application",
      internal: false,
      subnets: args.publicSubnetIds,
      securityGroups: [args.securityGroupId],
      dropInvalidHeaderFields: true,
      desyncMitigationMode: "strictest",
      enableDeletionProtection: args.deletionProtection,
      idleTimeout: 60,
      accessLogs: { bucket: args.accessLogsBucket, prefix: "alb", enabled: true },
    },
    opts,
  );
  const https = new aws.lb.Listener(
    `${name}-https`,
    { loadBalancerArn: alb.arn, port: 443, protocol: "HTTPS", sslPolicy: TLS_POLICY, certificateArn: args.certificateArn, defaultActions: [notFound] },
    opts,
  );
  new aws.lb.Listener(
    `${name}-http`,
    {
      loadBalancerArn: alb.arn,
      port: 80,
      protocol: "HTTP",
      defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
    },
    opts,
  );
  const test = new aws.lb.Listener(
    `${name}-test`,
    { loadBalancerArn: alb.arn, port: TEST_LISTENER_PORT, protocol: "HTTPS", sslPolicy: TLS_POLICY, certificateArn: args.certificateArn, defaultActions: [notFound] },
    opts,
  );
  return { alb, https, test };
}
