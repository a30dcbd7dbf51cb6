using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace Bitrix24.Tests.Infrastructure
{
    /// <summary>Everything one script produced, stream by stream.</summary>
    public sealed class ScriptResult
    {
        public IReadOnlyList<PSObject> Output { get; init; }
        public IReadOnlyList<ErrorRecord> Errors { get; init; }
        public IReadOnlyList<string> Verbose { get; init; }
        public IReadOnlyList<string> Warnings { get; init; }
        public IReadOnlyList<string> Debug { get; init; }
        public IReadOnlyList<string> Information { get; init; }
        /// <summary>A terminating error that ended the script, if any.</summary>
        public Exception Terminated { get; init; }

        /// <summary>All text the user could have seen, for leak checks.</summary>
        public string AllText()
        {
            var parts = new List<string>();
            parts.AddRange(Output.Select(o => o?.ToString() ?? ""));
            parts.AddRange(Errors.SelectMany(Describe));
            parts.AddRange(Verbose);
            parts.AddRange(Warnings);
            parts.AddRange(Debug);
            parts.AddRange(Information);
            if (Terminated != null) parts.Add(Terminated.ToString());
            return string.Join("\n", parts);
        }

        private static IEnumerable<string> Describe(ErrorRecord e)
        {
            yield return e.ToString();
            yield return e.FullyQualifiedErrorId;
            yield return e.Exception?.ToString() ?? "";
            yield return e.ErrorDetails?.Message ?? "";
            yield return e.TargetObject?.ToString() ?? "";
        }

        public void ThrowIfFailed()
        {
            if (Terminated != null) throw new Exception("Script terminated: " + Terminated.Message, Terminated);
            if (Errors.Count > 0) throw new Exception("Script wrote errors:\n" + string.Join("\n", Errors.Select(e => e.FullyQualifiedErrorId + ": " + e)));
        }
    }

    /// <summary>
    /// A runspace of the real PowerShell engine with the built module imported from out/Bitrix24.
    /// Only the Core cmdlets exist here, so scripts use the language itself.
    /// </summary>
    public sealed class PowerShellSession : IDisposable
    {
        private readonly Runspace _runspace;
        private readonly StringWriter _hostText = new StringWriter();

        public PowerShellSession(bool importModule = true)
        {
            var state = InitialSessionState.CreateDefault2();
            Host = new TextHost(_hostText);
            _runspace = RunspaceFactory.CreateRunspace(Host, state);
            _runspace.Open();
            if (importModule) Run($"Import-Module '{ModulePaths.ModuleDirectory}' -ErrorAction Stop").ThrowIfFailed();
        }

        public Runspace Runspace => _runspace;
        public TextHost Host { get; }

        /// <summary>What the host showed so far (-WhatIf lines, Out-Host output), and clears it.</summary>
        public string TakeHostText()
        {
            lock (_hostText)
            {
                var text = _hostText.ToString();
                _hostText.GetStringBuilder().Clear();
                return text;
            }
        }

        /// <summary>Runs <paramref name="script"/> with optional variables set first.</summary>
        public ScriptResult Run(string script, IDictionary<string, object> variables = null)
        {
            using var ps = System.Management.Automation.PowerShell.Create();
            ps.Runspace = _runspace;
            if (variables != null)
                foreach (var pair in variables) _runspace.SessionStateProxy.SetVariable(pair.Key, pair.Value);
            ps.AddScript(script);
            var output = new List<PSObject>();
            Exception terminated = null;
            try
            {
                output.AddRange(ps.Invoke());
            }
            catch (RuntimeException ex)
            {
                terminated = ex;
            }
            return new ScriptResult
            {
                Output = output,
                Errors = ps.Streams.Error.ToList(),
                Verbose = ps.Streams.Verbose.Select(v => v.Message).ToList(),
                Warnings = ps.Streams.Warning.Select(w => w.Message).ToList(),
                Debug = ps.Streams.Debug.Select(d => d.Message).ToList(),
                Information = ps.Streams.Information.Select(i => i.MessageData?.ToString() ?? "").ToList(),
                Terminated = terminated,
            };
        }

        public void Dispose() => _runspace.Dispose();
    }
}
