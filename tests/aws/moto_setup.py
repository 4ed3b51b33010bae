"""Resources the AWS integration tests call, created in a moto server.

Usage: moto_setup.py ENDPOINT. Prints JSON with the ids the tests need.
Runs with the venv that holds moto (boto3 comes with it); talks only to
ENDPOINT, which the tests start on 127.0.0.1.
"""
import io
import json
import sys
import zipfile

import boto3

endpoint = sys.argv[1]
kw = dict(
    region_name="us-east-1",
    endpoint_url=endpoint,
    aws_access_key_id="test",
    aws_secret_access_key="test",
)
iam = boto3.client("iam", **kw)
lam = boto3.client("lambda", **kw)
ecs = boto3.client("ecs", **kw)
ec2 = boto3.client("ec2", **kw)

trust = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "lambda.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ],
}
role = iam.create_role(RoleName="fn-role", AssumeRolePolicyDocument=json.dumps(trust))
code = io.BytesIO()
with zipfile.ZipFile(code, "w") as z:
    z.writestr("index.py", "def handler(event, context):\n    return event\n")
lam.create_function(
    FunctionName="echo",
    Runtime="python3.12",
    Role=role["Role"]["Arn"],
    Handler="index.handler",
    Code={"ZipFile": code.getvalue()},
)

vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.0.0/24")["Subnet"]["SubnetId"]
group = ec2.create_security_group(GroupName="tasks", Description="t", VpcId=vpc)["GroupId"]
ecs.create_cluster(clusterName="jobs")
# Not an awsvpc (Fargate) definition: moto 5's RunTask fails on its network
# interfaces (no private_dns_name). The tests still run it as FARGATE with a
# NetworkConfiguration, which moto then accepts without using.
ecs.register_task_definition(
    family="crunch",
    containerDefinitions=[{"name": "main", "image": "busybox", "memory": 128}],
)
print(json.dumps({"subnet": subnet, "security_group": group}))
