"""``python -m workshop.mock.cf ARGS`` is the fake ``cf`` (the mock's bin/cf shim execs it)."""

import sys

from workshop.mock.cf.main import main

sys.exit(main(sys.argv[1:]))
