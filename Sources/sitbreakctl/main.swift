import SitbreakCtlCommands

SitbreakCtl.main()
