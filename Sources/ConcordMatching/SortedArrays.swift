extension Array where Element: Comparable {
    /// The position of the first element not below `value`, in an array in ascending order.
    func firstPosition(notBelow value: Element) -> Int {
        var (low, high) = (0, count)
        while low < high {
            let middle = (low + high) / 2
            if self[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Whether an array in ascending order holds `value`.
    func sortedContains(_ value: Element) -> Bool {
        let position = firstPosition(notBelow: value)
        return position < count && self[position] == value
    }
}
