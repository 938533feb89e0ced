using System.Text;
using System.Text.RegularExpressions;
using DiffPlex;

namespace Sake.Testing;

/// <summary>
/// The file side of snapshot checks, copied from the generator tests' harness
/// (tests/Sake.Generators.Tests/Infrastructure/Snapshot.cs) so users get the same conventions:
/// <c>{Class}.{Method}[_{variant}]#{HintName}.verified.cs</c>, a <c>.received.cs</c> beside it on a mismatch, a
/// line diff in the failure, the same scrubbing. Only the failure differs: an exception of this library instead of an
/// xunit assertion, so any test framework reports it.
/// </summary>
internal static partial class SnapshotFiles
{
    private const string VerifiedSuffix = ".verified.cs";
    private const string ReceivedSuffix = ".received.cs";
    private const string AcceptHint = SakeSnapshots.AcceptEnvironmentVariable + "=1 dotnet test";
    private const int ContextLines = 3;
    private const int MaxMessageLines = 200;

    // Windows' reserved characters are rejected on every OS: a snapshot that cannot be checked out on Windows
    // would break that developer's clone. '#' separates the method part from the hint name, so a name part that
    // contained it would make file names ambiguous.
    private static readonly char[] ForbiddenNameChars = ['/', '\\', ':', '*', '?', '"', '<', '>', '|', '#', '\0'];

    /// <summary>
    /// The whole check against an explicit folder and accept flag, so the harness can be tested on a temporary
    /// folder without the environment variable or the real <c>Snapshots/</c> folder getting involved.
    /// </summary>
    internal static void VerifyIn(
        string directory,
        string testClass,
        string testMethod,
        string? variant,
        IReadOnlyList<(string HintName, string Source)> files,
        bool accept)
    {
        ArgumentNullException.ThrowIfNull(files);
        ValidateNamePart(testClass, nameof(testClass), allowDot: false);
        ValidateNamePart(testMethod, nameof(testMethod), allowDot: false);
        if (variant is not null)
        {
            ValidateNamePart(variant, nameof(variant), allowDot: true);
        }

        var prefix = $"{testClass}.{testMethod}{(variant is null ? "" : "_" + variant)}#";
        var produced = new HashSet<string>(StringComparer.Ordinal);
        var receivedWritten = new HashSet<string>(StringComparer.Ordinal);
        var problems = new List<string>();

        // Every name is checked before any file is touched, so a bad call leaves the folder as it was.
        foreach (var (hintName, _) in files)
        {
            ValidateNamePart(hintName, "HintName", allowDot: true);
            if (!produced.Add(prefix + hintName + VerifiedSuffix))
            {
                throw new ArgumentException($"Hint name '{hintName}' appears more than once in the generated files.", nameof(files));
            }
        }

        foreach (var (hintName, source) in files)
        {
            var verifiedName = prefix + hintName + VerifiedSuffix;
            var verifiedPath = Path.Combine(directory, verifiedName);
            var receivedPath = Path.Combine(directory, prefix + hintName + ReceivedSuffix);
            var received = Scrub(source ?? "");
            // Line endings are normalized on the verified side too: a Windows checkout with autocrlf must not
            // turn every snapshot red.
            var verified = File.Exists(verifiedPath) ? NormalizeLineEndings(File.ReadAllText(verifiedPath)) : null;

            if (verified == received)
            {
                DeleteIfExists(receivedPath);
                continue;
            }

            Directory.CreateDirectory(directory);
            if (accept)
            {
                File.WriteAllText(verifiedPath, received);
                DeleteIfExists(receivedPath);
                continue;
            }

            File.WriteAllText(receivedPath, received);
            receivedWritten.Add(Path.GetFileName(receivedPath));

            // "\n" rather than AppendLine: the message must read the same on every OS.
            problems.Add(
                (verified is null ? $"missing: {verifiedName} does not exist yet\n" : $"mismatch: {verifiedName}\n") +
                $"  verified: {verifiedPath}\n" +
                $"  received: {receivedPath}\n" +
                "--- verified\n" +
                "+++ received\n" +
                UnifiedDiff(verified ?? "", received));
        }

        if (Directory.Exists(directory))
        {
            foreach (var path in EnumerateSorted(directory, VerifiedSuffix))
            {
                var name = Path.GetFileName(path);
                if (!name.StartsWith(prefix, StringComparison.Ordinal) || produced.Contains(name))
                {
                    continue;
                }

                if (accept)
                {
                    File.Delete(path);
                }
                else
                {
                    problems.Add($"stale snapshot: {path} has no generated counterpart; delete it or run with {SakeSnapshots.AcceptEnvironmentVariable}=1\n");
                }
            }

            // Received files of hint names this call no longer writes would otherwise linger and mislead.
            foreach (var path in EnumerateSorted(directory, ReceivedSuffix))
            {
                var name = Path.GetFileName(path);
                if (name.StartsWith(prefix, StringComparison.Ordinal) && !receivedWritten.Contains(name))
                {
                    File.Delete(path);
                }
            }
        }

        if (problems.Count > 0)
        {
            throw new SnapshotMismatchException(BuildFailureMessage(prefix[..^1], directory, problems));
        }
    }

    /// <summary>
    /// Removes what legitimately changes between runs and machines, so snapshots only change when the generated
    /// code does: interceptor location data (a checksum of the compilation's source text) and the generator's
    /// version in <c>[GeneratedCode]</c>; line endings become <c>\n</c>.
    /// </summary>
    public static string Scrub(string source)
    {
        var text = NormalizeLineEndings(source);
        text = InterceptsLocationPattern().Replace(text, "InterceptsLocation($1, \"{location}\")");
        text = GeneratedCodeVersionPattern().Replace(text, "$1\"{version}\"$2");
        return text;
    }

    /// <summary>Whether the accept switch's value asks for accepting: <c>1</c> or <c>true</c> (any case).</summary>
    internal static bool IsAcceptRequested(string? value)
    {
        var trimmed = value?.Trim();
        return trimmed == "1" || string.Equals(trimmed, "true", StringComparison.OrdinalIgnoreCase);
    }

    [GeneratedRegex("""InterceptsLocation\(\s*(\d+)\s*,\s*"[^"]*"\s*\)""")]
    private static partial Regex InterceptsLocationPattern();

    [GeneratedRegex("""(GeneratedCode(?:Attribute)?\(\s*"Sake\.Generators"\s*,\s*)"[^"]*"(\s*\))""")]
    private static partial Regex GeneratedCodeVersionPattern();

    // string.ReplaceLineEndings is not used: it also rewrites NEL, LS, PS and form feeds, which may legitimately
    // appear inside generated string literals.
    private static string NormalizeLineEndings(string text) => text.Replace("\r\n", "\n").Replace('\r', '\n');

    private static void ValidateNamePart(string value, string what, bool allowDot)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw new ArgumentException($"{what} must not be empty.", what);
        }

        var bad = value.IndexOfAny(ForbiddenNameChars);
        if (bad >= 0 || (!allowDot && value.Contains('.', StringComparison.Ordinal)))
        {
            var reason = bad >= 0 ? $"'{value[bad]}'" : "'.'";
            throw new ArgumentException(
                $"{what} '{value}' contains {reason}, which cannot appear in a snapshot file name " +
                "({Class}.{Method}[_{variant}]#{HintName}.verified.cs).",
                what);
        }
    }

    private static IEnumerable<string> EnumerateSorted(string directory, string suffix) =>
        // The suffix is re-checked because Windows search patterns also match on 8.3 short names.
        Directory.EnumerateFiles(directory, "*" + suffix)
            .Where(p => p.EndsWith(suffix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();

    private static void DeleteIfExists(string path)
    {
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// A unified-style diff: only changed regions, each with up to <see cref="ContextLines"/> unchanged lines
    /// around it, under <c>@@ -old +new @@</c> headers with 1-based line numbers.
    /// </summary>
    private static string UnifiedDiff(string oldText, string newText)
    {
        // The final newline ends the last line rather than starting an empty one, as in diff -u; without this,
        // every hunk at the end of a file would show a phantom blank line. Whitespace must count: a snapshot that
        // differs only in indentation is still a different snapshot.
        var diff = Differ.Instance.CreateDiffs(
            TrimFinalNewline(oldText), TrimFinalNewline(newText), ignoreWhiteSpace: false, ignoreCase: false, LineSplitter.Instance);
        var oldLines = diff.PiecesOld;
        var newLines = diff.PiecesNew;
        var blocks = diff.DiffBlocks;
        var sb = new StringBuilder();
        if (blocks.Count == 0)
        {
            return "  (no line differs; only the newline at the end of the file does)\n";
        }

        var i = 0;
        while (i < blocks.Count)
        {
            // Merge blocks whose context would touch or overlap into one hunk, as diff -u does.
            var j = i;
            while (j + 1 < blocks.Count
                && blocks[j + 1].DeleteStartA - (blocks[j].DeleteStartA + blocks[j].DeleteCountA) <= 2 * ContextLines)
            {
                j++;
            }

            var first = blocks[i];
            var last = blocks[j];
            var oldStart = Math.Max(0, first.DeleteStartA - ContextLines);
            var newStart = oldStart + (first.InsertStartB - first.DeleteStartA);
            var lastOldEnd = last.DeleteStartA + last.DeleteCountA;
            var oldEnd = Math.Min(oldLines.Count, lastOldEnd + ContextLines);
            var newEnd = last.InsertStartB + last.InsertCountB + (oldEnd - lastOldEnd);
            sb.Append($"@@ -{HunkRange(oldStart, oldEnd)} +{HunkRange(newStart, newEnd)} @@\n");

            var cursor = oldStart;
            for (var k = i; k <= j; k++)
            {
                var block = blocks[k];
                for (; cursor < block.DeleteStartA; cursor++)
                {
                    sb.Append("  ").Append(oldLines[cursor]).Append('\n');
                }

                for (var d = 0; d < block.DeleteCountA; d++)
                {
                    sb.Append("- ").Append(oldLines[block.DeleteStartA + d]).Append('\n');
                }

                for (var a = 0; a < block.InsertCountB; a++)
                {
                    sb.Append("+ ").Append(newLines[block.InsertStartB + a]).Append('\n');
                }

                cursor = block.DeleteStartA + block.DeleteCountA;
            }

            for (; cursor < oldEnd; cursor++)
            {
                sb.Append("  ").Append(oldLines[cursor]).Append('\n');
            }

            i = j + 1;
        }

        return sb.ToString();
    }

    // diff -u's convention: an empty range names the line before it ("-0,0" for an empty file).
    private static string HunkRange(int start, int end) => $"{(end > start ? start + 1 : start)},{end - start}";

    private static string TrimFinalNewline(string text) => text.EndsWith('\n') ? text[..^1] : text;

    /// <summary>Splits on <c>\n</c> only (input is already normalized); an empty text has no lines at all.</summary>
    private sealed class LineSplitter : IChunker
    {
        public static readonly LineSplitter Instance = new();

        public IReadOnlyList<string> Chunk(string text) => text.Length == 0 ? [] : text.Split('\n');
    }

    private static string BuildFailureMessage(string snapshotName, string directory, List<string> problems)
    {
        // How to accept goes first so that truncation can never cut it off.
        var lines = new List<string>
        {
            $"Snapshot check failed for {snapshotName} in {directory}.",
            $"If the new output is intended, accept it with `{AcceptHint}`, then review with `git diff` and commit the .verified.cs files.",
            "",
        };
        foreach (var problem in problems)
        {
            lines.AddRange(problem.TrimEnd('\n').Split('\n'));
            lines.Add("");
        }

        if (lines.Count > MaxMessageLines)
        {
            var cut = lines.Count - (MaxMessageLines - 1);
            lines.RemoveRange(MaxMessageLines - 1, cut);
            lines.Add($"... {cut} more lines cut; the .received.cs files hold the full output.");
        }

        return string.Join('\n', lines).TrimEnd('\n');
    }
}
