import Glibc
import SitbreakNotify

// Parse, wire, run: everything worth testing lives in SitbreakNotify.
exit(NotifyMain.run(arguments: Array(CommandLine.arguments.dropFirst())))
