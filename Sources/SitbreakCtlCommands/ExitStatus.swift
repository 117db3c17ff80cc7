import ArgumentParser

/// The exit codes of `sitbreakctl`, shared by every subcommand and listed in `--help`.
///
/// They follow sysexits(3) where it has a word for the case, so scripts can tell "the daemon said
/// no" (1) from "there is no daemon" (69) from "something is broken" (70).
enum ExitStatus {
    /// A file named on the command line is missing, unreadable or malformed.
    static let badInput = ExitCode(1)
    /// The daemon refused the command (its rules, a failed reload); the reason is on stderr.
    static let refused = ExitCode(1)
    /// The daemon cannot be reached (no socket, nobody listening, turned away, no answer);
    /// sysexits' EX_UNAVAILABLE.
    static let unavailable = ExitCode(69)
    /// The daemon's reply was not the protocol, or it did not understand ours; sysexits' EX_SOFTWARE.
    static let protocolError = ExitCode(70)
    /// Standard output could not be written (a full disk, a closed pipe); sysexits' EX_IOERR.
    static let outputFailed = ExitCode(74)

    /// The exit-code section of the help texts. 64 is ArgumentParser's code for usage errors.
    static let helpText = """
        Exit status:
          0   success
          1   a trace or configuration file is missing, unreadable or
              malformed (stderr says FILE:LINE: what is wrong), or sitbreakd
              refused the command (stderr gives its reason)
          64  the command line is wrong (unknown option, missing argument,
              bad duration)
          69  sitbreakd cannot be reached: no socket, nobody listening, no
              reply within 5 s, or it turned the connection away
          70  sitbreakd's reply was not the protocol, or it did not
              understand the request (daemon and sitbreakctl versions differ)
          74  standard output could not be written
        """
}
