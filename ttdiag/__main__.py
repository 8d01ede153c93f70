from ttdiag.cli import main

main()
