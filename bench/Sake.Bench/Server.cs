using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Sake.Bench;

/// <summary>A server process under test: started (optionally pinned) with the hard file limit, waited for, stopped with SIGTERM.</summary>
internal sealed class Server : IDisposable
{
    private readonly Process _process;

    private Server(Process process, int port, string name, string command)
    {
        _process = process;
        Port = port;
        Name = name;
        Command = command;
    }

    public int Pid => _process.Id;

    public int Port { get; }

    public string Name { get; }

    public string Command { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    public bool Exited => _process.HasExited;

    /// <summary>Sake binaries take the URL as argument; Kestrel ones take --urls.</summary>
    public static IReadOnlyList<string> UrlArgs(string exe, int port) =>
        Path.GetFileName(exe).StartsWith("Kestrel", StringComparison.Ordinal)
            ? ["--urls", $"http://127.0.0.1:{port}"]
            : [$"http://127.0.0.1:{port}"];

    /// <summary>Spawns the server without waiting (startup measurements time the wait themselves).</summary>
    public static Server Spawn(BenchContext ctx, string exe, int port, string? cpus = null, IDictionary<string, string>? env = null, string readyPath = "/plaintext")
    {
        _ = readyPath;
        var args = UrlArgs(exe, port);
        // sh raises the soft file limit to the hard one (10,000 connections need more than the usual 1,024),
        // then execs taskset, which execs the server: the pid stays the server's own.
        var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("ulimit -n \"$(ulimit -Hn)\" 2>/dev/null; exec \"$@\"");
        psi.ArgumentList.Add("sh");
        var shown = new List<string>();
        if (cpus is not null)
        {
            psi.ArgumentList.Add("taskset");
            psi.ArgumentList.Add("-c");
            psi.ArgumentList.Add(cpus);
            shown.AddRange(["taskset", "-c", cpus]);
        }

        psi.ArgumentList.Add(exe);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        if (env is not null)
        {
            foreach (var (k, v) in env)
            {
                psi.Environment[k] = v;
            }
        }

        psi.Environment["ASPNETCORE_URLS"] = "";
        var p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {exe}");
        string name = Path.GetFileName(exe);
        var log = new StreamWriter(Path.Combine(ctx.Logs, $"server-{name}-{port}.log"), append: true) { AutoFlush = true };
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        shown.Add(ctx.Relative(exe));
        shown.AddRange(args);
        return new Server(p, port, name, Proc.Show(shown[0], shown.Skip(1), env));
    }

    /// <summary>Spawns the server and waits until <paramref name="readyPath"/> answers 200.</summary>
    public static Server Start(BenchContext ctx, string exe, int port, string? cpus = null, IDictionary<string, string>? env = null, string readyPath = "/plaintext")
    {
        if (Get(port, readyPath, 200).Status != 0)
        {
            throw new InvalidOperationException($"something already listens on port {port}");
        }

        var s = Spawn(ctx, exe, port, cpus, env);
        var sw = Stopwatch.StartNew();
        while (true)
        {
            if (s._process.HasExited)
            {
                throw new InvalidOperationException($"{s.Name} exited during startup (exit {s._process.ExitCode}; log in {ctx.Relative(ctx.Logs)})");
            }

            if (Get(port, readyPath, 500).Status == 200)
            {
                return s;
            }

            if (sw.Elapsed > TimeSpan.FromSeconds(20))
            {
                s.Dispose();
                throw new TimeoutException($"{s.Name} did not answer {readyPath} within 20 s");
            }

            Thread.Sleep(20);
        }
    }

    public double CpuSeconds() => Proc.CpuSeconds(Pid);

    public double RssKb() => Proc.RssKb(Pid);

    /// <summary>One GET on a fresh connection (Connection: close); status 0 when nothing answered.</summary>
    public static (int Status, string Body) Get(int port, string path, int timeoutMs)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, ReceiveTimeout = timeoutMs, SendTimeout = timeoutMs };
            var connect = socket.BeginConnect("127.0.0.1", port, null, null);
            if (!connect.AsyncWaitHandle.WaitOne(timeoutMs))
            {
                return (0, "");
            }

            socket.EndConnect(connect);
            socket.Send(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"));
            var buffer = new byte[64 * 1024];
            int total = 0, n;
            while (total < buffer.Length && (n = socket.Receive(buffer, total, buffer.Length - total, SocketFlags.None)) > 0)
            {
                total += n;
            }

            string text = Encoding.UTF8.GetString(buffer, 0, total);
            if (!text.StartsWith("HTTP/1.1 ", StringComparison.Ordinal) || text.Length < 12)
            {
                return (0, "");
            }

            int status = int.Parse(text.AsSpan(9, 3), System.Globalization.CultureInfo.InvariantCulture);
            int bodyStart = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (bodyStart < 0)
            {
                return (status, "");
            }

            string head = text[..bodyStart];
            string body = text[(bodyStart + 4)..];
            return (status, head.Contains("transfer-encoding: chunked", StringComparison.OrdinalIgnoreCase) ? Dechunk(body) : body);
        }
        catch (SocketException)
        {
            return (0, "");
        }
        catch (ObjectDisposedException)
        {
            return (0, "");
        }
    }

    /// <summary>Joins the chunks of a complete chunked body (the response was read to the connection's close).</summary>
    private static string Dechunk(string body)
    {
        var sb = new StringBuilder();
        int at = 0;
        while (at < body.Length)
        {
            int eol = body.IndexOf("\r\n", at, StringComparison.Ordinal);
            if (eol < 0)
            {
                break;
            }

            string sizeText = body[at..eol].Split(';')[0].Trim();
            if (!int.TryParse(sizeText, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture, out int size) || size == 0)
            {
                break;
            }

            sb.Append(body, eol + 2, Math.Min(size, body.Length - eol - 2));
            at = eol + 2 + size + 2;
        }

        return sb.ToString();
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                Proc.Terminate(_process.Id);
                if (!_process.WaitForExit(5000))
                {
                    _process.Kill();
                    _process.WaitForExit();
                }
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
    }
}
