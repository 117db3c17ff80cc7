import SitbreakProtocol
import Testing

@Suite("JSONParser (RFC 8259)")
struct JSONParserTests {
    @Test(
        "values",
        arguments: [
            ("null", JSONValue.null), ("true", .bool(true)), ("false", .bool(false)), ("0", .integer(0)),
            ("-0", .integer(0)), ("42", .integer(42)), ("-17", .integer(-17)),
            ("9223372036854775807", .integer(Int64.max)), ("-9223372036854775808", .integer(Int64.min)),
            ("9223372036854775808", .double(9_223_372_036_854_775_808)), ("1.5", .double(1.5)),
            ("-0.25", .double(-0.25)), ("1e3", .double(1000)), ("1E+2", .double(100)), ("25e-1", .double(2.5)),
            (#""""#, .string("")), (#""abc""#, .string("abc")), ("[]", .array([])), ("{}", .object([])),
            (" \t\r\n[1, \"a\" ,{\"k\":null}]\r\n ", .array([.integer(1), .string("a"), .object([("k", .null)])])),
        ])
    func values(text: String, value: JSONValue) throws {
        #expect(try JSONParser.parse(text) == value)
    }

    @Test(
        "string escapes",
        arguments: [
            (#""\"\\\/\b\f\n\r\t""#, "\"\\/\u{08}\u{0C}\n\r\t"),
            (#""\u0041\u00e9\u20AC""#, "Aé€"),
            (#""\u0000""#, "\u{0}"),
            (#""\ud83d\ude00""#, "😀"),  // a surrogate pair
            (#""\uD834\uDD1E x""#, "𝄞 x"),
            (#""é€😀 raw UTF-8""#, "é€😀 raw UTF-8"),
            ("\"\u{7F}\"", "\u{7F}"),  // DEL is not a control character for JSON
        ])
    func escapes(text: String, expected: String) throws {
        #expect(try JSONParser.parse(text) == .string(expected))
    }

    @Test(
        "malformed text: where and why",
        arguments: [
            ("", 0, "unexpected end of input") as (String, Int, String),
            ("   ", 3, "unexpected end of input"),
            ("nul", 0, "unexpected character"),
            ("True", 0, "unexpected character"),
            ("'a'", 0, "unexpected character"),
            ("[1,]", 3, "unexpected character"),
            ("[1 2]", 3, "expected ',' or ']'"),
            (#"{"a" 1}"#, 5, "expected ':'"),
            (#"{"a":1,}"#, 7, "expected a member name"),
            ("{a:1}", 1, "expected a member name"),
            (#"{"a":1"#, 6, "unexpected end of input"),
            ("[1", 2, "unexpected end of input"),
            ("01", 1, "unexpected text after the value"),
            ("-", 1, "expected a digit"),
            ("-a", 1, "expected a digit"),
            ("1.", 2, "expected a digit after '.'"),
            (".5", 0, "unexpected character"),
            ("1e", 2, "expected a digit in the exponent"),
            ("+1", 0, "unexpected character"),
            ("1e400", 0, "number out of range"),
            ("-1e400", 0, "number out of range"),
            ("NaN", 0, "unexpected character"),
            (#""abc"#, 4, "unterminated string"),
            (#""\x""#, 3, "invalid escape"),
            (#""\u12zz""#, 5, "invalid hex digit in \\u escape"),
            (#""\u12""#, 3, "short \\u escape"),
            (#""\ud83d""#, 7, "lone surrogate in \\u escape"),
            (#""\ud83dx""#, 7, "lone surrogate in \\u escape"),
            (#""\ude00""#, 7, "lone surrogate in \\u escape"),
            (#""\ud83d\u0041""#, 13, "invalid surrogate pair"),
            ("\"a\nb\"", 2, "control character in string"),
            ("\"a\tb\"", 2, "control character in string"),
            ("\"\u{1F}\"", 1, "control character in string"),
            (#"{"a":1} x"#, 8, "unexpected text after the value"),
            (#"{"a":1}{}"#, 7, "unexpected text after the value"),
            ("1 2", 2, "unexpected text after the value"),
        ])
    func malformed(text: String, offset: Int, reason: String) {
        #expect(throws: JSONParseError(offset: offset, reason: reason)) { try JSONParser.parse(text) }
    }

    @Test(
        "invalid UTF-8 in a string is refused, pointing at the string",
        arguments: [
            [0xFF], [0xC3], [0xC0, 0xAF],  // a lone invalid byte; a truncated sequence; an overlong "/"
            [0xED, 0xA0, 0x80],  // a UTF-16 surrogate encoded as UTF-8
            [0xF4, 0x90, 0x80, 0x80],  // above U+10FFFF
            [0x80],  // a continuation byte alone
        ] as [[UInt8]])
    func invalidUTF8(bad: [UInt8]) {
        let line = Array(#"{"k":"a"#.utf8) + bad + Array(#""}"#.utf8)
        #expect(throws: JSONParseError(offset: 5, reason: "invalid UTF-8 in string")) {
            try JSONParser.parse(bytes: line)
        }
    }

    @Test("outside strings, bytes that are not JSON are refused")
    func invalidBytesOutsideStrings() {
        #expect(throws: JSONParseError(offset: 0, reason: "unexpected character")) {
            try JSONParser.parse(bytes: [0xEF, 0xBB, 0xBF] + Array("{}".utf8))  // a byte-order mark
        }
        #expect(throws: JSONParseError(offset: 1, reason: "unexpected text after the value")) {
            try JSONParser.parse(bytes: Array("1".utf8) + [0x00])
        }
    }

    @Test("nesting: 64 levels are fine, 65 are refused")
    func depth() throws {
        let limit = JSONParser.maximumDepth
        #expect(limit == 64)
        let deep = String(repeating: "[", count: limit) + String(repeating: "]", count: limit)
        var value = try JSONParser.parse(deep)
        for _ in 1..<limit { value = value.arrayValue?.first ?? .null }
        #expect(value == .array([]))
        let objects = String(repeating: #"{"a":"#, count: limit) + "1" + String(repeating: "}", count: limit)
        #expect(try JSONParser.parse(objects)["a"] != nil)
        #expect(throws: JSONParseError(offset: limit, reason: "nested deeper than 64 levels")) {
            try JSONParser.parse(String(repeating: "[", count: limit + 1) + String(repeating: "]", count: limit + 1))
        }
        // Depth counts open containers, not all of them: siblings do not add up.
        let wide =
            "["
            + Array(repeating: String(repeating: "[", count: 63) + String(repeating: "]", count: 63), count: 3)
            .joined(separator: ",") + "]"
        #expect(try JSONParser.parse(wide).arrayValue?.count == 3)
        // A hostile line far deeper than the stack could take fails quickly and cleanly.
        #expect(throws: JSONParseError.self) { try JSONParser.parse(String(repeating: "[", count: 100_000)) }
    }

    @Test("duplicate keys: the last value wins, at the first key's place")
    func duplicateKeys() throws {
        let value = try JSONParser.parse(#"{"a":1,"b":2,"a":3}"#)
        #expect(value == .object([("a", .integer(3)), ("b", .integer(2))]))
        #expect(value["a"] == .integer(3))
    }

    @Test("many distinct keys parse in linear time")
    func manyKeys() throws {
        let members = (0..<8000).map { #""k\#($0)":\#($0)"# }.joined(separator: ",")
        let clock = ContinuousClock()
        let elapsed = try clock.measure {
            let value = try JSONParser.parse("{" + members + "}")
            #expect(value["k7999"] == .integer(7999))
        }
        // Quadratic duplicate checking took seconds here; linear takes milliseconds.
        #expect(elapsed < .seconds(2))
    }
}

@Suite("JSONValue serialization")
struct SerializationTests {
    @Test(
        "compact text",
        arguments: [
            (JSONValue.null, "null"), (.bool(true), "true"), (.integer(-5), "-5"), (.double(1.5), "1.5"),
            (.double(.infinity), "null"), (.double(.nan), "null"),
            (.string("a\"b\\c\n\r\t\u{1}\u{1F}é😀/"), #""a\"b\\c\n\r\t\u0001\u001fé😀/""#),
            (.array([.integer(1), .null, .array([])]), "[1,null,[]]"),
            (.object([("z", .integer(1)), ("a", .object([]))]), #"{"z":1,"a":{}}"#),
        ])
    func serialized(value: JSONValue, text: String) {
        #expect(value.serialized == text)
    }

    @Test(
        "round trips: parse(serialized) == value",
        arguments: [
            JSONValue.object([
                ("id", .integer(7)), ("s", .string("\u{0}\u{8}\u{C}\u{7F}\u{2028}\u{FFFF}𝄞\"\\")),
                ("list", .array([.bool(false), .double(-2.5e-7), .double(1e300), .integer(Int64.min), .null])),
                ("nested", .object([("k", .array([.object([])]))])),
            ]),
            .string(String(decoding: (0..<0x80).map { UInt8($0) }, as: UTF8.self)),
        ])
    func roundTrip(value: JSONValue) throws {
        let text = value.serialized
        #expect(!text.contains("\n"), "a JSON Lines line must not contain a line feed")
        #expect(try JSONParser.parse(text) == value)
        #expect(try JSONParser.parse(text).serialized == text)
    }

    @Test("round trips of parsed text keep order and numbers")
    func textRoundTrip() throws {
        let text = #"{"b":[1,2.5,-3,true,null],"a":{"c":"\u00e9\n"},"e":1e+20}"#
        #expect(try JSONParser.parse(text).serialized == #"{"b":[1,2.5,-3,true,null],"a":{"c":"é\n"},"e":1e+20}"#)
    }

    @Test("accessors")
    func accessors() throws {
        let value = try JSONParser.parse(#"{"s":"x","i":3,"d":4.0,"f":4.5,"b":true,"a":[1]}"#)
        #expect(value["s"]?.stringValue == "x")
        #expect(value["i"]?.integerValue == 3)
        #expect(value["d"]?.integerValue == 4)
        #expect(value["f"]?.integerValue == nil)
        #expect(value["b"]?.boolValue == true)
        #expect(value["a"]?.arrayValue == [.integer(1)])
        #expect(value["missing"] == nil)
        #expect(JSONValue.string("x")["s"] == nil)
        #expect(value["s"]?.integerValue == nil)
    }
}
