using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Bitrix24.PowerShell.Base;
using Bitrix24.PowerShell.Completers;
using Bitrix24.PowerShell.Parameters;
using Bitrix24.Rest.Crm.Timeline;
using Newtonsoft.Json.Linq;

namespace Bitrix24.PowerShell.Cmdlets
{
    /// <summary>
    /// Creates a to-do (a universal activity, crm.activity.todo.add) on CRM records, piped or named by -EntityType
    /// and -Id: a deadline, and a title, description and responsible user if given. Many go 50 to a batch request.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "B24Todo", SupportsShouldProcess = true, DefaultParameterSetName = ByIdSet)]
    [OutputType("Bitrix24.Activity")]
    public sealed class NewB24TodoCommand : B24TimelineCmdlet
    {
        /// <summary>When it is due (a date and time; without an offset, the computer's own time zone).</summary>
        [Parameter(Mandatory = true)]
        public DateTimeOffset Deadline { get; set; }

        /// <summary>The to-do's title.</summary>
        [Parameter]
        public string Title { get; set; }

        /// <summary>What is to be done.</summary>
        [Parameter]
        public string Description { get; set; }

        /// <summary>Who is to do it: a user id, or an e-mail address (by default the portal picks: the calling user, in our reading).</summary>
        [Parameter]
        [ArgumentCompleter(typeof(UserIdCompleter))]
        public UserReference ResponsibleId { get; set; }

        /// <summary>Writes each to-do created, as Get-B24Activity shows it.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        private Activities _activities;
        private readonly List<int> _created = new List<int>();

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            _activities = new Activities(ActiveConnection.Client);
            ResolveUsers(new[] { ResponsibleId });
            StartBulk(ActiveConnection.Client, "Creating Bitrix24 to-dos", "to-do(s) created",
                      outcome => { if (PassThru) _created.Add(Activities.Number(outcome.Result?["id"])); }, unit: "records");
        }

        protected override void ProcessRecord()
        {
            var deadline = Deadline;
            foreach (var owner in InputOwners())
            {
                var what = $"New to-do '{Title}' due {Activities.DateText(deadline)}" + (ResponsibleId == null ? "" : $" for user {ResponsibleId}");
                if (!ShouldProcess(owner.ToString(), what)) continue;
                QueueBulk(_activities.TodoAddCommand(owner, deadline, Title, Description, ResponsibleId?.Id));
            }
        }

        protected override void EndProcessing()
        {
            CompleteBulk();
            if (_created.Count == 0) return;
            try
            {
                foreach (var activity in Await((cancel, log) => _activities.GetManyAsync(_created, cancel, log)))
                    WriteObject(TimelineObject("Bitrix24.Activity", activity));
            }
            catch (Exception ex) when (!(ex is PipelineStoppedException))
            {
                WriteB24Error(ex, _created.ToArray());
            }
        }
    }
}
