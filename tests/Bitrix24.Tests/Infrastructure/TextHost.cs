using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using System.Text.RegularExpressions;

namespace Bitrix24.Tests.Infrastructure
{
    /// <summary>
    /// A minimal non-interactive PowerShell host that writes what a console would show (formatted
    /// output, -WhatIf lines, verbose, warnings, errors, progress) to a TextWriter, so the hosted-engine
    /// tests see what a user sees. (What pwsh itself shows is tested by the Pester suite.)
    /// </summary>
    public sealed class TextHost : PSHost
    {
        private readonly TextHostUI _ui;

        public TextHost(TextWriter writer, bool stripColours = true) => _ui = new TextHostUI(writer, stripColours);

        public override string Name => "Bitrix24.TextHost";
        public override Version Version => new Version(1, 0);
        public override Guid InstanceId { get; } = Guid.NewGuid();
        public override PSHostUserInterface UI => _ui;
        public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;
        public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;
        public override void EnterNestedPrompt() => throw new NotSupportedException();
        public override void ExitNestedPrompt() => throw new NotSupportedException();
        public override void NotifyBeginApplication() { }
        public override void NotifyEndApplication() { }
        public override void SetShouldExit(int exitCode) { }

        /// <summary>Progress records written so far (tests check them).</summary>
        public IReadOnlyList<ProgressRecord> Progress => _ui.ProgressRecords;

        private sealed class TextHostUI : PSHostUserInterface
        {
            private static readonly Regex Colours = new Regex("\u001b\\[[0-9;]*m", RegexOptions.Compiled);
            private readonly TextWriter _writer;
            private readonly bool _stripColours;
            private readonly TextRawUI _raw = new TextRawUI();
            internal readonly List<ProgressRecord> ProgressRecords = new List<ProgressRecord>();

            public TextHostUI(TextWriter writer, bool stripColours)
            {
                _writer = writer;
                _stripColours = stripColours;
            }

            private string Clean(string value) => _stripColours && value != null ? Colours.Replace(value, "") : value;

            public override PSHostRawUserInterface RawUI => _raw;
            public override void Write(string value) { lock (_writer) _writer.Write(Clean(value)); }
            public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Write(value);
            public override void WriteLine(string value) { lock (_writer) _writer.WriteLine(Clean(value)); }
            public override void WriteErrorLine(string value) => WriteLine(value);
            public override void WriteDebugLine(string message) => WriteLine("DEBUG: " + message);
            public override void WriteVerboseLine(string message) => WriteLine("VERBOSE: " + message);
            public override void WriteWarningLine(string message) => WriteLine("WARNING: " + message);
            public override void WriteProgress(long sourceId, ProgressRecord record) { lock (ProgressRecords) ProgressRecords.Add(record); }
            public override string ReadLine() => throw new NotSupportedException("This host is not interactive.");
            public override SecureString ReadLineAsSecureString() => throw new NotSupportedException("This host is not interactive.");
            public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) =>
                throw new NotSupportedException("This host is not interactive.");
            public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
                throw new NotSupportedException("This host is not interactive.");
            public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName,
                                                             PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) =>
                throw new NotSupportedException("This host is not interactive.");
            public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice) =>
                throw new NotSupportedException("This host is not interactive.");
        }

        private sealed class TextRawUI : PSHostRawUserInterface
        {
            public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;
            public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;
            public override Coordinates CursorPosition { get; set; }
            public override Coordinates WindowPosition { get; set; }
            public override int CursorSize { get; set; }
            public override Size BufferSize { get; set; } = new Size(160, 3000);
            public override Size WindowSize { get; set; } = new Size(160, 50);
            public override Size MaxWindowSize => new Size(160, 50);
            public override Size MaxPhysicalWindowSize => new Size(160, 50);
            public override bool KeyAvailable => false;
            public override string WindowTitle { get; set; } = "";
            public override KeyInfo ReadKey(ReadKeyOptions options) => throw new NotSupportedException();
            public override void FlushInputBuffer() { }
            public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) { }
            public override void SetBufferContents(Rectangle rectangle, BufferCell fill) { }
            public override BufferCell[,] GetBufferContents(Rectangle rectangle) => new BufferCell[0, 0];
            public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) { }
        }
    }
}
