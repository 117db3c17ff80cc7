import Testing

@testable import SitbreakConfig

@Suite struct TOMLParserTests {
    private func parse(_ text: String) throws -> TOMLTable {
        try TOMLParser.parse(text, file: "config.toml")
    }

    private func syntaxError(_ text: String) -> String? {
        do {
            _ = try TOMLParser.parse(text, file: "config.toml")
            return nil
        } catch {
            return error.description
        }
    }

    @Test func keysValuesAndLines() throws {
        let table = try parse(
            """
            # a comment
            name = "walk"   # trailing comment	with a tab

            count = 42
            flag = true
            """)
        #expect(table.entries.map(\.key) == ["name", "count", "flag"])
        #expect(table["name"]?.value == TOMLValue(line: 2, .string("walk")))
        #expect(table["count"]?.value == TOMLValue(line: 4, .integer(42)))
        #expect(table["flag"]?.value == TOMLValue(line: 5, .boolean(true)))
        #expect(table["count"]?.line == 4)
    }

    @Test func multiLineArrayWithCommentsAndTrailingComma() throws {
        let table = try parse(
            """
            list = [
                "a",  # first
                # between
                'b',

                "c",
            ]
            empty = [ ]
            nested = [[1, 2], ["x"]]
            """)
        #expect(
            table["list"]?.value
                == TOMLValue(
                    line: 1,
                    .array([
                        TOMLValue(line: 2, .string("a")), TOMLValue(line: 4, .string("b")),
                        TOMLValue(line: 6, .string("c")),
                    ])))
        #expect(table["empty"]?.value == TOMLValue(line: 8, .array([])))
        guard case .array(let nested)? = table["nested"]?.value.content else {
            Issue.record("nested is not an array")
            return
        }
        #expect(nested.count == 2)
    }

    @Test(arguments: [
        (#""a\"b""#, "a\"b"),
        (#""back\\slash""#, "back\\slash"),
        (#""tab\there""#, "tab\there"),
        (#""line\nbreak""#, "line\nbreak"),
        (#""\u00e9t\u00E9""#, "été"),
        (#""\U0001F9D8""#, "🧘"),
        (#""\b\f\r""#, "\u{08}\u{0C}\r"),
        (#"'C:\raw\path'"#, #"C:\raw\path"#),
        (#""""#, ""),
        ("\"\"\"\none\ntwo\"\"\"", "one\ntwo"),
        ("\"\"\"joined \\\n    together\"\"\"", "joined together"),
        ("\"\"\"quote \"\" inside\"\"\"", "quote \"\" inside"),
        ("\"\"\"ends with quotes\"\"\"\"\"", "ends with quotes\"\""),
        ("'''\nraw \\n\n'''", "raw \\n\n"),
        ("'''it's'''", "it's"),
        ("\"déjà vu\"", "déjà vu"),
    ])
    func strings(source: String, expected: String) throws {
        let table = try parse("s = \(source)")
        #expect(table["s"]?.value.content == .string(expected))
    }

    @Test func multiLineStringCountsLines() throws {
        let table = try parse("a = \"\"\"\nx\ny\n\"\"\"\nb = 1")
        #expect(table["b"]?.line == 5)
    }

    @Test(arguments: [
        ("0", Int64(0)), ("+7", 7), ("-3", -3), ("1_000", 1000), ("0x1F", 31), ("0o17", 15), ("0b101", 5),
        ("9223372036854775807", Int64.max), ("-9223372036854775808", Int64.min),
    ])
    func integers(source: String, expected: Int64) throws {
        #expect(try parse("n = \(source)")["n"]?.value.content == .integer(expected))
    }

    @Test(arguments: ["1.5", "-0.25", "1e3", "6.02E+23", "inf", "-nan", "1_000.5"])
    func floatsAreKeptAsText(source: String) throws {
        #expect(try parse("f = \(source)")["f"]?.value.content == .float(source))
    }

    @Test(arguments: [
        "1979-05-27", "07:32:00", "1979-05-27T07:32:00Z", "1979-05-27 07:32:00", "1979-05-27T00:32:00-07:00",
    ])
    func dateTimesAreKeptAsText(source: String) throws {
        #expect(try parse("d = \(source)")["d"]?.value.content == .dateTime(source))
    }

    @Test func tablesAndDottedKeys() throws {
        let table = try parse(
            """
            top.inner = 1
            "quoted key" = 2
            'literal.key' = 3
            [a.b]
            c = 4
            [a]
            d = 5
            [ x . "y z" ]
            w = 6
            """)
        #expect(table.entries.map(\.key) == ["top", "quoted key", "literal.key", "a", "x"])
        guard case .table(let a)? = table["a"]?.value.content, case .table(let b)? = a["b"]?.value.content else {
            Issue.record("a.b is not a table")
            return
        }
        #expect(a.entries.map(\.key) == ["b", "d"])
        #expect(b["c"]?.value.content == .integer(4))
        #expect(a.line == 6)
        guard case .table(let x)? = table["x"]?.value.content, case .table(let yz)? = x["y z"]?.value.content else {
            Issue.record("x.\"y z\" is not a table")
            return
        }
        #expect(yz["w"]?.value == TOMLValue(line: 9, .integer(6)))
    }

    @Test func inlineTables() throws {
        let table = try parse(#"point = { x = 1, y.z = "two", empty = {} }"#)
        let expected = TOMLTable(
            line: 1,
            entries: [
                .init(key: "x", line: 1, value: TOMLValue(line: 1, .integer(1))),
                .init(
                    key: "y", line: 1,
                    value: TOMLValue(
                        line: 1,
                        .table(
                            TOMLTable(
                                line: 1, entries: [.init(key: "z", line: 1, value: TOMLValue(line: 1, .string("two")))]
                            )))),
                .init(key: "empty", line: 1, value: TOMLValue(line: 1, .table(TOMLTable(line: 1, entries: [])))),
            ])
        #expect(table["point"]?.value.content == .table(expected))
    }

    @Test func windowsLineEndsAndByteOrderMark() throws {
        let table = try parse("\u{FEFF}a = 1\r\nb = \"\"\"x\r\ny\"\"\"\r\n")
        #expect(table["a"]?.value.content == .integer(1))
        #expect(table["b"]?.value == TOMLValue(line: 2, .string("x\ny")))
    }

    @Test(arguments: [
        ("every \"50m\"", "config.toml:1: expected '=' after key \"every\""),
        ("[breaks.walk]\n\nevery", "config.toml:3: expected '=' after key \"every\""),
        ("every = 50m", "config.toml:1: every: 50m is not a valid value; put text in quotes: \"50m\""),
        (
            "[breaks.walk]\nevery = fifty",
            "config.toml:2: breaks.walk.every: fifty is not a valid value; put text in quotes: \"fifty\""
        ),
        ("a =", "config.toml:1: expected a value after \"a =\", found the end of the file"),
        (
            "a = \"open",
            "config.toml:1: the string is never closed; end it with \" on the same line (or use \"\"\" for several lines)"
        ),
        (
            "a = 'open\n",
            "config.toml:1: the string is never closed; end it with ' on the same line (or use ''' for several lines)"
        ),
        ("x = 1\na = \"\"\"\nnever closed", "config.toml:2: the multi-line string is never closed; end it with \"\"\""),
        ("x = 1\na = '''\nnever closed", "config.toml:2: the multi-line string is never closed; end it with '''"),
        (
            #"a = "bad \q escape""#,
            #"config.toml:1: invalid escape \q in a string; use \" \\ \n \t \uXXXX, or write the character itself"#
        ),
        (#"a = "\u12""#, #"config.toml:1: \u must be followed by 4 hexadecimal digits, e.g. \u00E9"#),
        (
            #"a = "\uD800""#,
            #"config.toml:1: \uD800 is not a Unicode character; use a code point outside D800–DFFF and at most 10FFFF"#
        ),
        (
            "a = \"x\" \"y\"",
            "config.toml:1: unexpected '\"' after the value of a; put each key = value on its own line"
        ),
        ("[table] junk", "config.toml:1: unexpected 'j' after [table]; put each key = value on its own line"),
        ("[breaks.walk", "config.toml:1: expected ']' after table name \"breaks.walk\", found the end of the file"),
        (
            "[[breaks]]",
            "config.toml:1: arrays of tables ([[...]]) are not supported; use one [table] per name, e.g. [breaks.walk]"
        ),
        ("= 1", "config.toml:1: expected a key, found '='; keys use letters, digits, '_' and '-', or quotes"),
        ("list = [1, 2\n", "config.toml:1: list: the array is never closed; end it with ]"),
        ("list = [1 2]", "config.toml:1: expected ',' or ']' in the array of list, found '2'"),
        ("list = [1,,2]", "config.toml:1: expected a value after \"list =\", found ','"),
        ("t = {a = 1,}", "config.toml:1: trailing comma in the inline table t; remove it"),
        (
            "t = {a = 1\n}",
            "config.toml:1: an inline table { ... } must end on the line it starts; close it with } or use a [table]"
        ),
        ("t = {a = 1 b = 2}", "config.toml:1: expected ',' or '}' in the inline table t, found 'b'"),
        ("n = 012", "config.toml:1: n: 012 is not a valid value; put text in quotes: \"012\""),
        (
            "n = 9223372036854775808",
            "config.toml:1: n: 9223372036854775808 is out of range; use a whole number between -9223372036854775808 and 9223372036854775807"
        ),
        (
            "a = \"tab\u{01}\"",
            "config.toml:1: control character U+0001 in a string; write it as an escape such as \\t or \\n"
        ),
        (
            "a = 1\rb = 2",
            "config.toml:1: a carriage return must be followed by a newline; save the file with Unix or Windows line ends"
        ),
        ("a = 1\na = 2", "config.toml:2: a: defined twice (first at line 1); keep one definition of a"),
        (
            "[breaks.walk]\nevery = \"1m\"\n\n[breaks.walk]",
            "config.toml:4: breaks.walk: defined twice (first at line 1); keep one definition of breaks.walk"
        ),
        ("[a]\nb.c = 1\n[a.b]", "config.toml:3: a.b: defined twice (first at line 2); keep one definition of a.b"),
        ("a = 1\n[a]", "config.toml:2: a: defined twice (first at line 1); keep one definition of a"),
        ("a = {x = 1}\na.y = 2", "config.toml:2: a: defined twice (first at line 1); keep one definition of a"),
        ("[a.b]\n[a]\nb.c = 1", "config.toml:3: a.b: defined twice (first at line 1); keep one definition of a.b"),
        ("t = {x = 1, x = 2}", "config.toml:1: t.x: defined twice (first at line 1); keep one definition of t.x"),
        (
            "a = " + String(repeating: "[", count: 40),
            "config.toml:1: a: arrays nested more than 16 levels deep (counting the key's parts); nest at most 16 levels"
        ),
    ])
    func syntaxErrors(source: String, expected: String) {
        #expect(syntaxError(source) == expected)
    }

    @Test func implicitTableMayBeDefinedOnceLater() throws {
        let table = try parse("[breaks.walk]\nevery = \"1m\"\n[breaks]\n")
        #expect(table["breaks"]?.line == 3)
    }
}
