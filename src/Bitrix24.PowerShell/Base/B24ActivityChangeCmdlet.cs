using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Bitrix24.Rest.Batch;
using Bitrix24.Rest.Crm.Timeline;
using Newtonsoft.Json.Linq;

namespace Bitrix24.PowerShell.Base
{
    /// <summary>
    /// Set-B24Activity and Complete-B24Activity: activities piped from Get-B24Activity are changed as read; activities
    /// named by -Id are read first (one request per 50), so -WhatIf can show the change and the right method is chosen.
    /// </summary>
    public abstract class B24ActivityChangeCmdlet : B24ConnectedCmdlet
    {
        /// <summary>The activities' ids (the ID of objects from Get-B24Activity).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, int.MaxValue)]
        public int[] Id { get; set; }

        /// <summary>Activities from Get-B24Activity (changed as read, without reading them again).</summary>
        [Parameter(ValueFromPipeline = true, DontShow = true)]
        public PSObject InputObject { get; set; }

        private readonly List<int> _toRead = new List<int>();

        protected abstract string Activity { get; }
        protected abstract string Outcome { get; }

        /// <summary>What to change in <paramref name="activity"/>: ShouldProcess and the commands, or nothing.</summary>
        protected abstract IEnumerable<BulkCommand> Change(JObject activity);

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            StartBulk(ActiveConnection.Client, Activity, Outcome, null, unit: "activities");
        }

        protected override void ProcessRecord()
        {
            var read = B24TimelineCmdlet.EntryOfObject(InputObject);
            if (read != null && Id.Length == 1 && Activities.Number(read["ID"]) == Id[0]) Queue(read);
            else _toRead.AddRange(Id);
        }

        protected override void EndProcessing()
        {
            if (_toRead.Count > 0)
            {
                IList<JObject> found;
                try
                {
                    found = Await((cancel, log) => new Activities(ActiveConnection.Client).GetManyAsync(_toRead, cancel, log));
                }
                catch (Exception ex) when (!(ex is PipelineStoppedException))
                {
                    WriteB24Error(ex, _toRead.ToArray());
                    found = new List<JObject>();
                }
                foreach (var id in _toRead.Distinct())
                {
                    var activity = found.FirstOrDefault(a => Activities.Number(a["ID"]) == id);
                    if (activity != null) Queue(activity);
                    else WriteB24Error(new Bitrix24.Rest.Transport.Bitrix24Exception(Activities.ListMethod, "NOT_FOUND", $"Activity {id} is not found.", 400), id);
                }
            }
            CompleteBulk();
        }

        private void Queue(JObject activity)
        {
            try
            {
                foreach (var command in Change(activity)) QueueBulk(command);
            }
            catch (ArgumentException ex)
            {
                WriteB24Error(ex, Activities.Number(activity["ID"]));
            }
        }

        /// <summary>"Activity 12 (To-do 'Send the contract' on Deal 121)": how -WhatIf names it.</summary>
        protected static string Describe(JObject activity) =>
            $"Activity {(string)activity["ID"]} ({(Activities.IsTodo(activity) ? "To-do" : (string)activity["PROVIDER_TYPE_ID"] ?? "activity")} '{(string)activity["SUBJECT"]}' on {Activities.OwnerOf(activity)})";
    }
}
