"""The compose file and the Kubernetes manifests parse, and hold what docs/operations.md says:
native gRPC probes on the API port, the database URLs from a Secret, a migration Job that runs
`returnsd migrate`, a Service with the API port only, a NetworkPolicy, pods without service-account
tokens under seccomp RuntimeDefault with pinned images, and a PodDisruptionBudget selecting the
pods. The build context (.dockerignore) keeps local state and secrets out."""
import sys

import yaml

repo = sys.argv[1]


def fail(message):
    print("check_manifests: " + message, file=sys.stderr)
    sys.exit(1)


compose = yaml.safe_load(open(f"{repo}/deploy/docker/compose.yaml"))
services = compose.get("services", {})
if set(services) != {"postgres", "returnsd"}:
    fail(f"compose services are {sorted(services)}")
if services["returnsd"]["build"]["dockerfile"] != "deploy/docker/Dockerfile":
    fail("compose does not build deploy/docker/Dockerfile")
if "RETURNS_DATABASE_URL" not in services["returnsd"]["environment"]:
    fail("compose gives returnsd no database")
print("compose: parsed, returnsd built from the Dockerfile against postgres")

docs = [d for d in yaml.safe_load_all(open(f"{repo}/deploy/kubernetes/returnsd.yaml")) if d]
by_kind = {}
for d in docs:
    by_kind.setdefault(d["kind"], []).append(d)
for kind in ["ConfigMap", "Job", "Deployment", "Service", "PodDisruptionBudget"]:
    if kind not in by_kind:
        fail(f"no {kind}")
deployment = by_kind["Deployment"][0]
pod = deployment["spec"]["template"]
container = pod["spec"]["containers"][0]
ports = {p["name"]: p["containerPort"] for p in container["ports"]}
if ports.get("grpc") != 50051 or ports.get("metrics") != 9464:
    fail(f"container ports {ports}")
for probe in ["readinessProbe", "livenessProbe"]:
    grpc = container.get(probe, {}).get("grpc")
    if not grpc or grpc.get("port") != ports["grpc"]:
        fail(f"{probe} is not a native gRPC probe on the API port")
if container["livenessProbe"]["grpc"].get("service") != "liveness":
    fail("the liveness probe must ask the 'liveness' service (the process, not the database)")
secrets = [e["valueFrom"]["secretKeyRef"]["name"] for e in container["env"] if "valueFrom" in e]
if not secrets or set(secrets) != {"returnsd-database"}:
    fail("the database URLs do not come from the returnsd-database Secret")
if not any(ref.get("configMapRef", {}).get("name") == "returnsd" for ref in container.get("envFrom", [])):
    fail("the ConfigMap is not used")
args = " ".join(container["args"])
for flag in ["--metrics_listen", "--no_migrate", "--db_transaction_pooling"]:
    if flag not in args:
        fail(f"the Deployment does not pass {flag}")
if pod["spec"]["terminationGracePeriodSeconds"] <= 20:
    fail("the grace period does not cover the drain")
job = by_kind["Job"][0]["spec"]["template"]["spec"]["containers"][0]
if job["args"] != ["migrate"]:
    fail("the Job does not run returnsd migrate")
selector = deployment["spec"]["selector"]["matchLabels"]
if {k: pod["metadata"]["labels"].get(k) for k in selector} != selector:
    fail("the Deployment's selector does not select its pods")
for kind in ["Service", "PodDisruptionBudget"]:
    spec = by_kind[kind][0]["spec"]
    chosen = spec["selector"] if kind == "Service" else spec["selector"]["matchLabels"]
    if chosen != selector:
        fail(f"the {kind} does not select the API pods")
service_ports = {p["name"] for p in by_kind["Service"][0]["spec"]["ports"]}
if service_ports != {"grpc"}:
    fail(f"Service ports {service_ports}: only the API is published (Prometheus scrapes the pods)")
# Hardening: every pod without a service-account token, under the runtime's seccomp profile,
# every image pinned (a tag that is not latest, or a digest).
for kind in ["Job", "Deployment"]:
    pod_spec = by_kind[kind][0]["spec"]["template"]["spec"]
    if pod_spec.get("automountServiceAccountToken") is not False:
        fail(f"the {kind} mounts a service-account token")
    if pod_spec.get("securityContext", {}).get("seccompProfile", {}).get("type") != "RuntimeDefault":
        fail(f"the {kind} has no seccompProfile RuntimeDefault")
    for c in pod_spec["containers"]:
        image = c["image"]
        if "@sha256:" not in image and (":" not in image or image.endswith(":latest")):
            fail(f"the {kind}'s image {image} is not pinned")
if "NetworkPolicy" not in by_kind:
    fail("no NetworkPolicy")
policy = by_kind["NetworkPolicy"][0]["spec"]
if policy["podSelector"]["matchLabels"] != selector or "Ingress" not in policy["policyTypes"]:
    fail("the NetworkPolicy does not restrict ingress to the API pods")
allowed = {port["port"] for rule in policy["ingress"] for port in rule["ports"]}
if allowed != {50051, 9464}:
    fail(f"the NetworkPolicy admits ports {allowed}")
metrics_rules = [r for r in policy["ingress"] if any(p["port"] == 9464 for p in r["ports"])]
if any(not r.get("from") for r in metrics_rules):
    fail("the NetworkPolicy admits anyone to the metrics port")
print(f"kubernetes: {len(docs)} manifests parsed; probes, Secret, ConfigMap, Job, Service, NetworkPolicy, "
      "hardening and PDB check out")

# The Docker build context: COPY . . must not carry local state (.local/ holds API keys and
# development certificates), build folders or the repository's history into the build stage.
ignored = [line.strip() for line in open(f"{repo}/.dockerignore") if line.strip() and not line.startswith("#")]
for needed in [".local", "build", ".git"]:
    if not any(entry.rstrip("/").lstrip("/") in (needed, needed + "*") or entry.startswith(needed) for entry in ignored):
        fail(f".dockerignore does not exclude {needed}")
print(".dockerignore: local state, build folders and history stay out of the image's build context")
