/// What the measurement tools share: repeatable random data and their command-line sizes.

/// SplitMix64, so runs are repeatable.
public struct Generator: RandomNumberGenerator {
    public var state: UInt64

    public init(state: UInt64) { self.state = state }

    public mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    public mutating func pick<T>(_ items: [T]) -> T { items[Int(next() % UInt64(items.count))] }
}

/// The whole number at `position` of the command line (underscores allowed: 1_000_000), or
/// `fallback` when there is none.
public func commandLineNumber(_ position: Int, _ fallback: Int) -> Int {
    let arguments = CommandLine.arguments
    guard arguments.count > position else { return fallback }
    guard let value = Int(arguments[position].filter { $0 != "_" }) else {
        fatalError("argument \(position), '\(arguments[position])', is not a whole number")
    }
    return value
}
