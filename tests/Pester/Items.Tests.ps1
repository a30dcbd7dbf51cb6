# An everyday smart-process script, in the shell a user has: find the type, export its items, raise the
# amounts in the CSV file and apply it back, move a stage's items on in place, and see them as the portal names them.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestPortal.psm1') -Force
    Import-Module (Get-BuiltModulePath) -Force -ErrorAction Stop
    $portal = Start-TestPortal -Demo
    Connect-Bitrix24 -WebhookUrl $portal.WebhookUrl -RateLimit 1000 -Burst 1000
}
AfterAll { Stop-TestPortal $portal }

Describe 'Smart processes' {
    It 'the type is found by title; a CSV of new amounts goes through, the row with a stage of another pipeline is reported with its id' {
        $type = Get-B24ItemType -Title 'contr*'
        $type.EntityTypeId | Should -Be 1032
        $ids = @(Add-PortalRecord $portal item1032 -Count 3 -Fields @{ TITLE = 'csv contract'; UF_CRM_5_AMOUNT = '100' })
        $file = Join-Path $TestDrive 'contracts.csv'
        Get-B24Item -EntityTypeId $type.EntityTypeId -Filter @{ title = 'csv contract' } -Select id, title, stageId, ufCrm5_Amount |
            Export-Csv $file -NoTypeInformation

        $rows = Import-Csv $file
        foreach ($row in $rows) { $row.ufCrm5_Amount = [decimal]$row.ufCrm5_Amount * 1.1 }
        $rows[2].stageId = 'DT1032_9:APPROVAL'
        $rows | Set-B24Item -Type $type.Title -ErrorVariable failed -ErrorAction SilentlyContinue

        $failed.Count | Should -Be 1
        $failed[0].TargetObject | Should -Be $ids[2]
        $failed[0].Exception.Message | Should -Match "^Contracts $($ids[2]): field stageId: .*pipeline 9 \(Supply contracts\)"
        (Get-PortalRecord $portal item1032 $ids[0]).UF_CRM_5_AMOUNT | Should -Be 110
        (Get-PortalRecord $portal item1032 $ids[1]).UF_CRM_5_AMOUNT | Should -Be 110
        (Get-PortalRecord $portal item1032 $ids[2]).UF_CRM_5_AMOUNT | Should -Be 100
    }

    It 'items of a stage are moved on in place, sending only the stage; -WhatIf before sends nothing' {
        $ids = @(Add-PortalRecord $portal item1032 -Count 2 -Fields @{ TITLE = 'to sign'; STAGE_ID = 'DT1032_8:PREPARATION' })
        Clear-PortalLog $portal
        $items = Get-B24Item -Type Contracts -Filter @{ title = 'to sign' }
        $transcript = Join-Path $TestDrive 'whatif.txt'
        Start-Transcript $transcript | Out-Null
        $items | ForEach-Object { $_.stageId = 'DT1032_8:CLIENT'; $_ } | Set-B24Item -Type Contracts -WhatIf
        Stop-Transcript | Out-Null
        @(Get-PortalCall $portal crm.item.update).Count | Should -Be 0
        $preview = Get-Content $transcript -Raw
        foreach ($id in $ids) { $preview | Should -Match "stageId = 'DT1032_8:PREPARATION' -> 'DT1032_8:CLIENT'`" on target `"Contracts $id`"" }

        $items | Set-B24Item -Type Contracts

        $updates = @(Get-PortalCall $portal crm.item.update)
        $updates.Count | Should -Be 2
        foreach ($update in $updates) {
            $update.parameters.entityTypeId | Should -Be 1032
            ($update.parameters.fields | Get-Member -MemberType NoteProperty).Name | Should -Be 'stageId'
        }
        foreach ($id in $ids) { (Get-PortalRecord $portal item1032 $id).STAGE_ID | Should -Be 'DT1032_8:CLIENT' }
    }

    It 'items show the portal''s camelCase names, carry their type, fit 80 columns and convert to JSON as they are' {
        $item = Get-B24Item -Type Contracts -First 1
        $item.PSObject.TypeNames[0] | Should -Be 'Bitrix24.Item.1032'
        ($item | Get-Member -MemberType NoteProperty).Name | Should -Contain 'ufCrm5_Amount'
        ($item | ConvertTo-Json | ConvertFrom-Json).stageId | Should -Match '^DT1032_'
        Get-B24Item -Type Contracts | Get-ViewOverflow -Width 79 | Should -BeNullOrEmpty
        (Get-B24Item -Type Contracts | Format-Table | Out-String -Width 80) | Should -Match 'stageId'
    }

    It 'types, pipelines and stages complete; a misspelt field is refused with a suggestion' {
        $line = 'Get-B24Item -Type Con'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be 'Contracts'
        $line = 'Set-B24Item -Type Contracts -Id 1 -CategoryId 9 -StageId DT'
        $stages = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        $stages | Should -Contain 'DT1032_9:APPROVAL'
        $stages | Should -Not -Contain 'DT1032_8:NEW'

        { Set-B24Item -EntityTypeId 1032 -Id 1 -Fields @{ ufCrm5_Amout = 1 } -ErrorAction Stop } | Should -Throw '*Did you mean ufCrm5_Amount*'
    }

    It 'a new item lands in its type''s first stage and is removed again' {
        $new = New-B24Item -Type Projects -Title 'Pester project' -Fields @{ ufCrm6_Budget = 1500 }
        $new.stageId | Should -Be 'DT1036_11:NEW'
        $new.ufCrm6_Budget | Should -Be 1500
        $new | Remove-B24Item -Type Projects -Confirm:$false
        Get-PortalRecord $portal item1036 $new.id | Should -BeNullOrEmpty
    }
}
