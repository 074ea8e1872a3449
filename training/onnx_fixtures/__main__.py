import sys

from onnx_fixtures.cli import main

sys.exit(main())
