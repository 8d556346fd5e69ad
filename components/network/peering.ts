import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** One side of a peering: a VPC, its block and the route tables that get a route to the other side. */
export interface PeeredVpc {
  /** The VPC's id (a Network's `vpcId`). */
  vpcId: pulumi.Input<string>;
  /** Its IPv4 block; the two blocks must not overlap. Example: `"10.30.0.0/16"`. */
  cidr: string;
  /** Every route table of the VPC (a Network's `routeTableIds`): each gets a route to the other block. */
  routeTableIds: pulumi.Input<string[]>;
  /** How many route tables that is (a Network's `routeTableCount`), known before they exist. */
  routeTableCount: number;
  /** AWS region of the VPC. Example: `"us-west-2"`. */
  region: string;
  /** The AWS provider of that region. Default for the requester: the component's own. */
  provider?: aws.Provider;
}

export interface VpcPeeringArgs {
  /** The side that requests the connection (the component's own provider unless `provider` is set). */
  requester: PeeredVpc;
  /** The side that accepts it, in another region of the same account. */
  accepter: PeeredVpc & { provider: aws.Provider };
}

/**
 * Inter-region VPC peering in one account: the requester's connection, the accepter's side adopted
 * and accepted, and a route to the other VPC's block in every route table on both sides. Traffic
 * stays on the AWS backbone, encrypted between regions
 * (https://docs.aws.amazon.com/vpc/latest/peering/what-is-vpc-peering.html). What may cross is
 * decided by security groups, which cannot reference a group of a peer VPC in another region: rules
 * name the peer's CIDR block instead
 * (https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-security-groups.html).
 */
export class VpcPeering extends pulumi.ComponentResource {
  /** The peering connection's id (`pcx-…`). */
  readonly connectionId: pulumi.Output<string>;

  constructor(name: string, args: VpcPeeringArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:network:VpcPeering", name, {}, opts);
    const { requester, accepter } = args;
    const mine = { parent: this, ...(requester.provider ? { provider: requester.provider } : {}) };
    const theirs = { parent: this, provider: accepter.provider };
    const connection = new aws.ec2.VpcPeeringConnection(
      name,
      { vpcId: requester.vpcId, peerVpcId: accepter.vpcId, peerRegion: accepter.region, autoAccept: false, tags: { Name: name, side: "requester" } },
      mine,
    );
    const accepted = new aws.ec2.VpcPeeringConnectionAccepter(name, { vpcPeeringConnectionId: connection.id, autoAccept: true, tags: { Name: name, side: "accepter" } }, theirs);
    const routes = (side: PeeredVpc, to: PeeredVpc, o: pulumi.CustomResourceOptions, label: string) => {
      const ids = pulumi.output(side.routeTableIds);
      for (let i = 0; i < side.routeTableCount; i++) {
        const routeTableId = ids.apply((all) => all[i]);
        new aws.ec2.Route(`${name}-${label}-${i}`, { routeTableId, destinationCidrBlock: to.cidr, vpcPeeringConnectionId: connection.id }, { ...o, dependsOn: [accepted] });
      }
    };
    routes(requester, accepter, mine, requester.region);
    routes(accepter, requester, theirs, accepter.region);
    this.connectionId = accepted.id;
    this.registerOutputs({ connectionId: this.connectionId });
  }
}
