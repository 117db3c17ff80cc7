import ArgumentParser

/// The exit codes of `sitbreakctl`, shared by every subcommand and listed in `--help`.
enum ExitStatus {
    /// A file named on the command line is missing, unreadable or malformed.
    static let badInput = ExitCode(1)
    /// Standard output could not be written (a full disk, a closed pipe); sysexits' EX_IOERR.
    static let outputFailed = ExitCode(74)

    /// The exit-code section of the help texts. 64 is ArgumentParser's code for usage errors.
    static let helpText = """
        Exit status:
          0   success
          1   a trace or configuration file is missing, unreadable or malformed
              (standard error says FILE:LINE: what is wrong)
          64  the command line is wrong (unknown option, missing argument)
          74  standard output could not be written
        """
}
