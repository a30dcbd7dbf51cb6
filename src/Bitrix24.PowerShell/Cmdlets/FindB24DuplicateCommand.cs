using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Text.RegularExpressions;
using Bitrix24.PowerShell.Base;
using Bitrix24.Rest.Crm;

namespace Bitrix24.PowerShell.Cmdlets
{
    /// <summary>
    /// Finds the leads, contacts and companies that hold given phone numbers or e-mail addresses
    /// (crm.duplicate.findbycomm), one result per value. Values come as parameters or from piped objects (CSV rows
    /// with Phone and Email columns, records); all of them are asked for at the end, 50 values to a request.
    /// </summary>
    [Cmdlet(VerbsCommon.Find, "B24Duplicate")]
    [OutputType(typeof(DuplicateMatch))]
    public sealed class FindB24DuplicateCommand : B24ConnectedCmdlet
    {
        /// <summary>Phone numbers (compared by the portal without their extension).</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        public string[] Phone { get; set; }

        /// <summary>E-mail addresses.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string[] Email { get; set; }

        /// <summary>Only these kinds of record (all three by default).</summary>
        [Parameter]
        [ValidateSet("Lead", "Contact", "Company")]
        public string[] EntityType { get; set; }

        private readonly List<(string Type, string Value)> _values = new List<(string, string)>();

        protected override void ProcessRecord()
        {
            foreach (var phone in Phone ?? new string[0]) _values.Add(("PHONE", Bare(phone)));
            foreach (var email in Email ?? new string[0]) _values.Add(("EMAIL", Bare(email)));
        }

        protected override void EndProcessing()
        {
            if (_values.Count == 0) return;
            try
            {
                var matches = Await((cancel, log) => new DuplicateSearch(ActiveConnection.Client).FindAsync(_values, EntityType, cancel, log));
                WriteObject(matches, enumerateCollection: true);
            }
            catch (Exception ex) when (!(ex is PipelineStoppedException))
            {
                WriteB24Error(ex, ActiveConnection.Portal);
            }
        }

        /// <summary>A value as a record's multi-field shows it ("+1 555 0101 (WORK)") without its type.</summary>
        private static string Bare(string value) =>
            value == null ? null : Regex.Replace(value.Trim(), @" \([A-Z]+\)$", "");
    }
}
