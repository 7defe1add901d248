from apidiff.cli import main

main()
