import Foundation

/// Splits bytes that arrive in chunks into numbered lines, ending at LF or CRLF. The reading
/// itself is the caller's: a file, a request body, a pipe.
public struct LineReader {
    public struct Line {
        public let number: Int
        /// Without the line break; cut at `maximumLength` when `tooLong`.
        public let bytes: ArraySlice<UInt8>
        public let tooLong: Bool
    }

    private let read: () throws -> [UInt8]?
    private let maximumLength: Int
    private var buffer: [UInt8] = []
    private var position = 0
    private var finished = false
    private var number = 0
    /// Bytes handed out so far, line breaks included: how far through the input the reader is.
    public private(set) var consumed = 0

    /// `read` returns the next chunk, or nil at the end of the input.
    public init(maximumLength: Int = 1 << 16, read: @escaping () throws -> [UInt8]?) {
        self.maximumLength = maximumLength
        self.read = read
    }

    public mutating func next() throws -> Line? {
        while true {
            if let newline = buffer[position...].firstIndex(of: UInt8(ascii: "\n")) {
                return take(upTo: newline, skipping: 1)
            }
            if buffer.count - position > maximumLength {
                return try takeTooLong()
            }
            if finished {
                guard position < buffer.count else { return nil }
                return take(upTo: buffer.count, skipping: 0)
            }
            try refill()
        }
    }

    private mutating func refill() throws {
        guard let chunk = try read() else {
            finished = true
            return
        }
        if position > 0 {
            buffer.removeSubrange(0..<position)
            position = 0
        }
        buffer.append(contentsOf: chunk)
    }

    private mutating func take(upTo end: Int, skipping separator: Int) -> Line {
        number += 1
        var stop = end
        if stop > position && buffer[stop - 1] == UInt8(ascii: "\r") { stop -= 1 }
        let line = Line(number: number, bytes: buffer[position..<stop], tooLong: false)
        consumed += end + separator - position
        position = end + separator
        return line
    }

    /// A line longer than anyone writes one: reported cut short, and the rest of it skipped.
    private mutating func takeTooLong() throws -> Line {
        number += 1
        let line = Line(number: number, bytes: buffer[position..<position + maximumLength], tooLong: true)
        while true {
            if let newline = buffer[position...].firstIndex(of: UInt8(ascii: "\n")) {
                consumed += newline + 1 - position
                position = newline + 1
                return line
            }
            consumed += buffer.count - position
            position = buffer.count
            try refill()
            if finished { return line }
        }
    }
}
