import Glibc
import SitbreakDaemon

// Parse, wire, run: everything worth testing lives in SitbreakDaemon.
exit(SitbreakDaemonMain.run(arguments: Array(CommandLine.arguments.dropFirst())))
