"""Runs one unittest module against a sengen binary, for CTest:

    /usr/bin/python3 -B run_unittest.py BINARY TEST_FILE.py

The binary is handed to the tests as SENGEN_BINARY; tests/support is put on the import path.
Exits non-zero when any test fails or errors, or when no test ran.
"""

import importlib.util
import os
import sys
import unittest
from pathlib import Path


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    binary, test_file = sys.argv[1], Path(sys.argv[2]).resolve()
    os.environ["SENGEN_BINARY"] = os.path.abspath(binary)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.path.insert(0, str(test_file.parent))

    spec = importlib.util.spec_from_file_location(test_file.stem, test_file)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    suite = unittest.defaultTestLoader.loadTestsFromModule(module)
    result = unittest.TextTestRunner(verbosity=2, stream=sys.stdout).run(suite)
    if result.testsRun == 0:
        print("no tests ran", file=sys.stderr)
        return 1
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
