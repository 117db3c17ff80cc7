import Glibc

/// An open file descriptor and the duty to close it.
///
/// Every descriptor has exactly one owner: the instance that opened it (or was handed it) closes
/// it when it goes away, so a throwing initializer halfway through opening several descriptors
/// leaks none, and no code closes a descriptor by hand that someone else still uses.
public final class FileDescriptor {
    /// The descriptor number; valid until ``close()`` or the owner's end.
    public let rawValue: Int32
    private var isOpen = true

    /// Takes ownership of an open descriptor.
    public init(_ rawValue: Int32) {
        self.rawValue = rawValue
    }

    /// Takes ownership of a C shim's result: a descriptor, or `-errno` which throws.
    public convenience init(checking result: Int32, _ operation: @autoclosure () -> String) throws(SystemError) {
        try SystemError.check(result, operation())
        self.init(result)
    }

    deinit {
        if isOpen { Glibc.close(rawValue) }
    }

    /// Closes the descriptor now instead of at the owner's end; later calls do nothing.
    public func close() {
        guard isOpen else { return }
        isOpen = false
        Glibc.close(rawValue)
    }
}
