using System;
using System.Collections.Generic;
using System.Management.Automation;
using Bitrix24.PowerShell.Base;
using Bitrix24.PowerShell.Completers;
using Bitrix24.PowerShell.Parameters;
using Bitrix24.Rest.Batch;
using Bitrix24.Rest.Crm.Timeline;
using Newtonsoft.Json.Linq;

namespace Bitrix24.PowerShell.Cmdlets
{
    /// <summary>
    /// Gives activities to another user and moves to-dos' deadlines: a to-do with crm.activity.todo.updateResponsibleUser
    /// and .updateDeadline, another kind's responsible with crm.activity.update (whose DEADLINE is not set directly).
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "B24Activity", SupportsShouldProcess = true)]
    public sealed class SetB24ActivityCommand : B24ActivityChangeCmdlet
    {
        /// <summary>The new responsible user: an id, or an e-mail address.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(UserIdCompleter))]
        public UserReference ResponsibleId { get; set; }

        /// <summary>A to-do's new deadline.</summary>
        [Parameter]
        public DateTimeOffset Deadline { get; set; }

        protected override string Activity => "Changing Bitrix24 activities";
        protected override string Outcome => "activity(ies) changed";

        protected override void BeginProcessing()
        {
            if (ResponsibleId == null && !ParameterSpecified(nameof(Deadline)))
                ThrowTerminatingError(new ErrorRecord(new ArgumentException("Set-B24Activity needs -ResponsibleId, -Deadline or both."),
                                                      "Bitrix24.NothingToChange", ErrorCategory.InvalidArgument, null));
            base.BeginProcessing();
            ResolveUsers(new[] { ResponsibleId });
        }

        protected override IEnumerable<BulkCommand> Change(JObject activity)
        {
            var commands = new List<BulkCommand>();
            var changes = new List<string>();
            if (ResponsibleId != null && Activities.Number(activity["RESPONSIBLE_ID"]) != ResponsibleId.Id)
                changes.Add($"RESPONSIBLE_ID = {(string)activity["RESPONSIBLE_ID"]} -> {ResponsibleId.Id}");
            DateTimeOffset? deadline = null;
            if (ParameterSpecified(nameof(Deadline)))
            {
                deadline = Deadline;
                var before = DateTimeOffset.TryParse((string)activity["DEADLINE"], out var was) ? was : (DateTimeOffset?)null;
                if (before != deadline) changes.Add($"DEADLINE = {(string)activity["DEADLINE"]} -> {Activities.DateText(deadline.Value)}");
                else deadline = null;
            }
            if (changes.Count == 0)
            {
                WriteVerbose($"{Describe(activity)} is already so: nothing to send.");
                return commands;
            }
            // Before ShouldProcess: a deadline that cannot be moved is an error, never a question.
            var moveDeadline = deadline == null ? null : Activities.DeadlineCommand(activity, deadline.Value);
            if (!ShouldProcess(Describe(activity), "Update " + string.Join(", ", changes))) return commands;
            if (ResponsibleId != null && Activities.Number(activity["RESPONSIBLE_ID"]) != ResponsibleId.Id)
                commands.Add(Activities.ResponsibleCommand(activity, ResponsibleId.Id.Value));
            if (moveDeadline != null) commands.Add(moveDeadline);
            return commands;
        }
    }
}
