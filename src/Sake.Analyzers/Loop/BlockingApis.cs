using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Sake.Analyzers.Loop;

/// <summary>
/// The .NET calls that block the calling thread until something else happens (a timer, another thread, I/O), resolved
/// once per compilation. Calls whose only cost is a short system call with no asynchronous form (File.Exists,
/// File.Delete, File.Open…) are not listed: the point is to catch waits, not every syscall.
/// </summary>
internal sealed class BlockingApis
{
    private static readonly string[] FileMethods =
    {
        "ReadAllText", "ReadAllBytes", "ReadAllLines", "ReadLines", "WriteAllText", "WriteAllBytes", "WriteAllLines",
        "AppendAllText", "AppendAllLines", "Copy", "Move", "Replace",
    };

    private static readonly string[] StreamMethods =
    {
        "Read", "ReadByte", "ReadExactly", "ReadAtLeast", "Write", "WriteByte", "Flush", "CopyTo",
    };

    private static readonly string[] AwaiterNames =
    {
        "TaskAwaiter", "ValueTaskAwaiter", "ConfiguredTaskAwaiter", "ConfiguredValueTaskAwaiter",
    };

    // Type → method names that block. Types are compared by original definition, so Task<T> members declared on
    // Task (Wait) and overrides declared on derived types are both found through the declaring type.
    private readonly Dictionary<INamedTypeSymbol, HashSet<string>> _methods = new(SymbolEqualityComparer.Default);
    private readonly INamedTypeSymbol? _taskOfT;
    private readonly INamedTypeSymbol? _valueTaskOfT;
    private readonly INamedTypeSymbol? _stream;
    private readonly INamedTypeSymbol? _memoryStream;
    private readonly INamedTypeSymbol? _unmanagedMemoryStream;

    private BlockingApis(Compilation compilation)
    {
        Add(compilation, "System.Threading.Thread", "Sleep", "Join");
        Add(compilation, "System.Threading.Tasks.Task", "Wait", "WaitAll", "WaitAny");
        Add(compilation, "System.Threading.SemaphoreSlim", "Wait");
        Add(compilation, "System.Threading.ManualResetEventSlim", "Wait");
        Add(compilation, "System.Threading.CountdownEvent", "Wait");
        Add(compilation, "System.Threading.Barrier", "SignalAndWait");
        Add(compilation, "System.Threading.WaitHandle", "WaitOne", "WaitAll", "WaitAny", "SignalAndWait");
        Add(compilation, "System.Threading.Monitor", "Wait");
        Add(compilation, "System.IO.File", FileMethods);
        Add(compilation, "System.Net.Sockets.Socket", "Receive", "ReceiveFrom", "ReceiveMessageFrom", "Send", "SendTo", "SendFile", "Connect", "Accept");
        Add(compilation, "System.Net.Sockets.TcpClient", "Connect");
        Add(compilation, "System.Net.Sockets.TcpListener", "AcceptSocket", "AcceptTcpClient");
        Add(compilation, "System.Net.Http.HttpClient", "Send");
        Add(compilation, "System.Net.Http.HttpMessageInvoker", "Send");
        Add(compilation, "System.Net.Dns", "GetHostEntry", "GetHostAddresses");
        Add(compilation, "System.Diagnostics.Process", "WaitForExit");
        _taskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task`1");
        _valueTaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask`1");
        _stream = compilation.GetTypeByMetadataName("System.IO.Stream");
        _memoryStream = compilation.GetTypeByMetadataName("System.IO.MemoryStream");
        _unmanagedMemoryStream = compilation.GetTypeByMetadataName("System.IO.UnmanagedMemoryStream");
    }

    public static BlockingApis From(Compilation compilation) => new(compilation);

    /// <summary>True when <paramref name="call"/> blocks the calling thread.</summary>
    public bool IsBlocking(IInvocationOperation call)
    {
        var method = call.TargetMethod;
        var type = method.ContainingType?.OriginalDefinition;
        if (type is null)
        {
            return false;
        }

        if (_methods.TryGetValue(type, out var names) && names.Contains(method.Name))
        {
            return true;
        }

        if (method.Name == "GetResult" && IsTaskAwaiter(type))
        {
            return true;
        }

        return !method.IsStatic && System.Array.IndexOf(StreamMethods, method.Name) >= 0 && IsBlockingStream(call.Instance?.Type);
    }

    /// <summary>True for <c>Task&lt;T&gt;.Result</c> and <c>ValueTask&lt;T&gt;.Result</c>.</summary>
    public bool IsBlocking(IPropertyReferenceOperation reference)
    {
        var property = reference.Property;
        if (property.Name != "Result" || property.IsStatic)
        {
            return false;
        }

        var type = property.ContainingType?.OriginalDefinition;
        return type is not null
            && (SymbolEqualityComparer.Default.Equals(type, _taskOfT) || SymbolEqualityComparer.Default.Equals(type, _valueTaskOfT));
    }

    /// <summary>GetResult on the awaiter of a Task, ValueTask or a configured one (not YieldAwaitable's, which does not wait).</summary>
    private static bool IsTaskAwaiter(INamedTypeSymbol type)
    {
        var ns = type.ContainingNamespace?.ToDisplayString();
        return ns == "System.Runtime.CompilerServices" && System.Array.IndexOf(AwaiterNames, type.Name) >= 0;
    }

    /// <summary>A stream whose synchronous I/O may wait: any Stream-typed receiver except in-memory streams.</summary>
    private bool IsBlockingStream(ITypeSymbol? receiver)
    {
        if (_stream is null || receiver is null)
        {
            return false;
        }

        bool isStream = false;
        for (var t = receiver; t is not null; t = t.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(t, _memoryStream) || SymbolEqualityComparer.Default.Equals(t, _unmanagedMemoryStream))
            {
                return false;
            }

            isStream |= SymbolEqualityComparer.Default.Equals(t, _stream);
        }

        return isStream;
    }

    private void Add(Compilation compilation, string metadataName, params string[] methods)
    {
        var type = compilation.GetTypeByMetadataName(metadataName);
        if (type is not null)
        {
            _methods[type] = new HashSet<string>(methods);
        }
    }
}
