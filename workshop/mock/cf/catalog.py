"""The PWS marketplace of 2016 as the fake cf offers it (reference §5.1, §5.2, §7.6).

Why: ``cf marketplace``, ``cf create-service`` (plan lookup, paid-plan notice) and
``cf env`` (credentials shapes) all need the same catalogue. The offering list is the
mid-2016 PWS table of the reference; plan descriptions are real for cleardb and
rediscloud and UNVERIFIED placeholders (the plan name) for the rest.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is not imported at run time: the mock's start-up must stay light
    from typing import Any

# label -> (description, [(plan, free)] in API order)
_RAW = """\
3scale|API Management Platform|free_appdirect, basic_appdirect*, pro_appdirect*
app-autoscaler|Scales bound applications in response to load (beta)|bronze, gold
blazemeter|Performance Testing Platform|free-tier, basic1kmr*, pro5kmr*
cedexisopenmix|Openmix Global Cloud &amp; Data Center Load Balancer|opx_global*, openmix-gslb-with-fusion-feeds*
cedexisradar|Free Website&amp; Mobile App Performance Reports|free-community-edition
cleardb|Highly available MySQL for your Apps.|spark, boost*, amp*, shock*
cloudamqp|Managed HA RabbitMQ servers in the cloud|lemur, tiger*, bunny*, rabbit*, panda*
cloudforge|Development Tools In The Cloud|free, standard*, pro*
elephantsql|PostgreSQL as a Service|turtle, panda*, hippo*, elephant*
flashreport|Generate PDF from your data|trial, basic*, silver*, gold*, platinum*
ironworker|Job Scheduling and Processing|production*, starter*, developer*, lite
loadimpact|Automated and on-demand performance testing|lifree, li100*, li500*, li1000*
memcachedcloud|Enterprise-Class Memcached for Developers|100mb*, 250mb*, 500mb*, 1gb*, 2-5gb*, 5gb*, 30mb
memcachier|The easiest, most advanced memcache.|dev, 100*, 250*, 500*, 1000*, 2000*, 5000*, 7500*, 10000*, 20000*, 50000*, 100000*
mongolab|Fully-managed MongoDB-as-a-Service|sandbox
newrelic|Manage and monitor your apps|standard
pubnub|Build Realtime Apps that Scale|free
rediscloud|Enterprise-Class Redis for Developers|100mb*, 250mb*, 500mb*, 1gb*, 2-5gb*, 5gb*, 10gb*, 50gb*, 30mb
searchify|Custom search you control|small*, plus*, pro*
searchly|Search Made Simple. Powered-by Elasticsearch|small*, micro*, professional*, advanced*, starter, business*, enterprise*
sendgrid|Email Delivery. Simplified.|free, bronze*, silver*
ssl|Upload your SSL certificate for your app(s) on your custom domain|basic*
stamplay|API-first development platform|plus*, premium*, core, starter*
statica|Enterprise Static IP Addresses|starter, spike*, micro*, medium*, large*, enterprise*, premium*
temporize|Simple and flexible job scheduling for your application|small*, medium*, large*
"""

PLAN_DESCRIPTIONS: dict[str, dict[str, str]] = {
    "cleardb": {
        "spark": "Great for getting started and developing your apps",
        "boost": "Best for light production or staging your applications",
        "amp": "For apps with moderate data requirements",
        "shock": "Designed for apps where you need real MySQL reliability, power and throughput",
    },
    "rediscloud": {
        "100mb": "Basic",
        "250mb": "Mini",
        "500mb": "Small",
        "1gb": "Standard",
        "2-5gb": "Medium",
        "5gb": "Large",
        "10gb": "X-Large",
        "50gb": "XX-Large",
        "30mb": "Lifetime Free Tier",
    },
}

TAGS: dict[str, list[str]] = {
    "cleardb": [
        "Cloud Databases",
        "Data Stores",
        "Web-based",
        "Online Backup & Storage",
        "Single Sign-On",
        "Cloud Security and Monitoring",
        "Certified Applications",
        "Developer Tools",
        "Data Store",
        "Development and Test Tools",
        "Buyable",
        "mysql",
        "relational",
    ],
    "rediscloud": [
        "Data Stores",
        "Data Store",
        "Caching",
        "Messaging and Queuing",
        "key-value",
        "caching",
        "redis",
    ],
}


TRAINING = "training"
"""The foundation of the original training platform (``mock: {foundation: training}``)."""

# the services of the training platform's own Cloud Foundry deployment (its pages' `cf
# marketplace`), offered there beside the PWS ones its 12-factor units use
_TRAINING_RAW = """\
p-mysql|MySQL databases on demand|512mb, 1gb
p-rabbitmq|RabbitMQ is a robust and scalable high-performance multi-protocol messaging broker.|standard
p-redis|Redis service to provide a key-value store|shared-vm
"""


def offerings(
    state: dict[str, Any] | None = None,
) -> dict[str, tuple[str, list[tuple[str, bool]]]]:
    """label → (description, [(plan, is_free), …]) sorted by label (byte order): PWS's, and
    on the training platform's foundation (``state["foundation"]``) its own services too."""
    result: dict[str, tuple[str, list[tuple[str, bool]]]] = {}
    raw = _RAW + (_TRAINING_RAW if (state or {}).get("foundation") == TRAINING else "")
    for line in raw.splitlines():
        label, desc, plans = line.split("|")
        result[label] = (desc, [(p.rstrip("*"), not p.endswith("*")) for p in plans.split(", ")])
    return dict(sorted(result.items()))


def plan_description(label: str, plan: str) -> str:
    """The description ``cf marketplace -s`` shows for a plan."""
    if label == "p-mysql":
        return "Shared MySQL Server"  # as the training platform's page shows it
    return PLAN_DESCRIPTIONS.get(label, {}).get(plan, plan)  # UNVERIFIED for others


def credentials(label: str, guid: str) -> dict[str, Any]:
    """Plausible broker credentials for a new instance (shapes of reference §7.6)."""
    tag = guid.replace("-", "")
    if label == "cleardb":
        user, pw, db = f"b{tag[:13]}", tag[13:21], f"ad_{tag[21:32]}"
        host = "us-cdbr-iron-east-03.cleardb.net"
        return {
            "hostname": host,
            "jdbcUrl": f"jdbc:mysql://{host}/{db}?user={user}&password={pw}",
            "name": db,
            "password": pw,
            "port": "3306",
            "uri": f"mysql://{user}:{pw}@{host}:3306/{db}?reconnect=true",
            "username": user,
        }
    if label == "rediscloud":
        port = str(10000 + int(tag[:4], 16) % 9999)
        return {
            "hostname": f"pub-redis-{port}.us-east-1-2.4.ec2.garantiadata.com",
            "password": tag[:32],
            "port": port,
        }
    return {"uri": f"{label}://{tag[:8]}:{tag[8:24]}@{label}.example.com/{tag[24:]}"}
