using System.Diagnostics;

namespace LoadGen;

/// <summary>
/// CPU time (user + system) the server process used during the measured window, in cores
/// (1.00 = one core busy the whole window). Read through /proc by <see cref="Process"/>, which knows the
/// clock-tick rate, so the bench script needs no getconf or awk.
/// </summary>
internal sealed class ServerCpu(int? pid)
{
    private Process? _process;
    private TimeSpan _cpu0;
    private long _t0;

    public double? Cores { get; private set; }

    public void Start()
    {
        if (pid is not int id)
        {
            return;
        }

        try
        {
            _process = Process.GetProcessById(id);
            _cpu0 = _process.TotalProcessorTime;
            _t0 = Stopwatch.GetTimestamp();
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            Console.Error.WriteLine($"loadgen: cannot read the CPU time of pid {id}: {ex.Message}");
            _process = null;
        }
    }

    public void Stop()
    {
        if (_process is null)
        {
            return;
        }

        try
        {
            _process.Refresh();
            var cpu = _process.TotalProcessorTime - _cpu0;
            double wall = Stopwatch.GetElapsedTime(_t0).TotalSeconds;
            Cores = wall > 0 ? cpu.TotalSeconds / wall : null;
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            Console.Error.WriteLine($"loadgen: cannot read the CPU time of the server: {ex.Message}");
        }
        finally
        {
            _process.Dispose();
            _process = null;
        }
    }
}
