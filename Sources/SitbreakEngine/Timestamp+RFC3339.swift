extension Timestamp {
    /// RFC 3339 in UTC with whole seconds, e.g. `2026-11-30T09:50:00Z`.
    public var rfc3339: String {
        let days = secondsSinceEpoch >= 0 ? secondsSinceEpoch / 86400 : (secondsSinceEpoch - 86399) / 86400
        let secondOfDay = secondsSinceEpoch - days * 86400
        let date = CivilDate(daysSinceEpoch: days)
        var out = ""
        out.reserveCapacity(20)
        Self.append(date.year, width: 4, to: &out)
        out.append("-")
        Self.append(date.month, width: 2, to: &out)
        out.append("-")
        Self.append(date.day, width: 2, to: &out)
        out.append("T")
        Self.append(Int(secondOfDay / 3600), width: 2, to: &out)
        out.append(":")
        Self.append(Int(secondOfDay / 60 % 60), width: 2, to: &out)
        out.append(":")
        Self.append(Int(secondOfDay % 60), width: 2, to: &out)
        out.append("Z")
        return out
    }

    private static func append(_ value: Int, width: Int, to out: inout String) {
        let digits = String(value)
        if digits.count < width { out.append(String(repeating: "0", count: width - digits.count)) }
        out.append(digits)
    }

    /// Parses RFC 3339 with whole seconds: `2026-11-30T09:50:00Z` or with an offset such as
    /// `2026-11-30T10:50:00+01:00`. Returns nil for anything else (including fractional seconds).
    public init?(rfc3339 text: some StringProtocol) {
        let bytes = Array(text.utf8)
        self.init(rfc3339Bytes: bytes[...])
    }

    /// Parses RFC 3339 from UTF-8 bytes; see ``init(rfc3339:)``.
    public init?(rfc3339Bytes b: ArraySlice<UInt8>) {
        func number(_ from: Int, _ count: Int) -> Int? {
            var value = 0
            for i in from..<(from + count) {
                let c = b[b.startIndex + i]
                guard c >= 48, c <= 57 else { return nil }
                value = value * 10 + Int(c - 48)
            }
            return value
        }
        func byte(_ i: Int) -> UInt8 { b[b.startIndex + i] }
        guard b.count == 20 || b.count == 25 else { return nil }
        guard byte(4) == 45, byte(7) == 45, byte(10) == 84 || byte(10) == 116, byte(13) == 58, byte(16) == 58,
            let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
            let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2)
        else { return nil }
        let date = CivilDate(year: year, month: month, day: day)
        guard date.isValid, hour < 24, minute < 60, second < 60 else { return nil }
        var offset = 0
        if b.count == 20 {
            guard byte(19) == 90 || byte(19) == 122 else { return nil }
        } else {
            let sign = byte(19)
            guard sign == 43 || sign == 45, byte(22) == 58, let oh = number(20, 2), let om = number(23, 2), oh < 24,
                om < 60
            else { return nil }
            offset = (oh * 3600 + om * 60) * (sign == 45 ? -1 : 1)
        }
        let local = date.daysSinceEpoch * 86400 + Int64(hour * 3600 + minute * 60 + second)
        self.init(secondsSinceEpoch: local - Int64(offset))
    }
}
