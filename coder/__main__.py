from coder.cli import main

raise SystemExit(main())
