import sys

from newslens.commands.cli import main

sys.exit(main())
