package wandbtest

// Fixed texts of the demo runs. They are short but shaped like the files a
// real fine-tuning run uploads.

const configYAML = `_wandb:
  desc: null
  value:
    cli_version: 0.21.1
    framework: huggingface
    huggingface_version: 4.55.2
    is_jupyter_run: false
    python_version: 3.11.9
    start_time: 1786946591
    t:
      1: [1, 11, 41, 49, 51, 55, 71, 98]
      2: [1, 11, 41, 49, 51, 55, 71, 98]
      3: [7, 13, 19, 23, 55, 66]
model_name:
  desc: null
  value: meta-llama/Llama-3.1-8B-Instruct
dataset:
  desc: null
  value: instruct-mix-v3
learning_rate:
  desc: null
  value: 0.0002
lr_scheduler_type:
  desc: null
  value: cosine
warmup_steps:
  desc: null
  value: 100
max_steps:
  desc: null
  value: 3000
per_device_train_batch_size:
  desc: null
  value: 8
gradient_accumulation_steps:
  desc: null
  value: 4
lora_r:
  desc: null
  value: 16
lora_alpha:
  desc: null
  value: 32
lora_dropout:
  desc: null
  value: 0.05
target_modules:
  desc: null
  value: [q_proj, k_proj, v_proj, o_proj]
bf16:
  desc: null
  value: true
seed:
  desc: null
  value: 1234
`

const configJSON = `{"model_name": {"value": "meta-llama/Llama-3.1-8B-Instruct"}, "dataset": {"value": "instruct-mix-v3"}, ` +
	`"learning_rate": {"value": 0.0002}, "lr_scheduler_type": {"value": "cosine"}, "max_steps": {"value": 3000}, ` +
	`"lora_r": {"value": 16}, "lora_alpha": {"value": 32}, "seed": {"value": 1234}}`

const metadataJSON = `{
  "os": "Linux-5.15.0-119-generic-x86_64-with-glibc2.35",
  "python": "CPython 3.11.9",
  "startedAt": "2026-08-14T06:03:11.482913Z",
  "args": ["--config", "code/configs/lora_r16.yaml"],
  "program": "/workspace/code/train.py",
  "codePath": "code/train.py",
  "git": {
    "remote": "https://github.com/example-lab/llama-finetune.git",
    "commit": "9f3c2a1e7b5d4c8a6f0e1d2c3b4a59687f6e5d4c"
  },
  "email": "ml-team@example.com",
  "root": "/workspace",
  "host": "gpu-node-07",
  "executable": "/usr/local/bin/python3.11",
  "cpu_count": 32,
  "cpu_count_logical": 64,
  "gpu": "NVIDIA H100 80GB HBM3",
  "gpu_count": 1,
  "disk": {"/": {"total": "1967317549056", "used": "811203371008"}},
  "memory": {"total": "1081850937344"},
  "cuda": "12.4"
}
`

const requirementsTXT = `accelerate==1.10.0
bitsandbytes==0.47.0
datasets==4.0.0
numpy==2.1.3
peft==0.17.1
safetensors==0.6.2
sentencepiece==0.2.1
tokenizers==0.21.4
torch==2.8.0
tqdm==4.67.1
transformers==4.55.2
wandb==0.21.1
`

const diffPatch = `diff --git a/code/train.py b/code/train.py
index 4b1e2c9..7d3f0a8 100644
--- a/code/train.py
+++ b/code/train.py
@@ -61,7 +61,8 @@ def build_trainer(cfg, model, tokenizer, data):
     args = TrainingArguments(
         output_dir="checkpoints",
-        learning_rate=1e-4,
+        learning_rate=cfg.learning_rate,
+        lr_scheduler_type=cfg.lr_scheduler_type,
         per_device_train_batch_size=cfg.per_device_train_batch_size,
         gradient_accumulation_steps=cfg.gradient_accumulation_steps,
         bf16=True,
`

const trainPy = `"""Fine-tune Llama 3.1 8B with LoRA on the instruct mix."""

import argparse

import wandb
from transformers import Trainer, TrainingArguments

from data import load_instruct_mix
from model.lora import wrap_with_lora
from utils.logging import setup_logging


def build_trainer(cfg, model, tokenizer, data):
    args = TrainingArguments(
        output_dir="checkpoints",
        learning_rate=cfg.learning_rate,
        lr_scheduler_type=cfg.lr_scheduler_type,
        warmup_steps=cfg.warmup_steps,
        max_steps=cfg.max_steps,
        per_device_train_batch_size=cfg.per_device_train_batch_size,
        gradient_accumulation_steps=cfg.gradient_accumulation_steps,
        bf16=True,
        logging_steps=10,
        eval_steps=500,
        save_steps=1000,
        report_to="wandb",
    )
    return Trainer(model=model, args=args, train_dataset=data["train"],
                   eval_dataset=data["eval"], tokenizer=tokenizer)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", required=True)
    cfg = wandb.init(project="llama-finetune", config=parser.parse_args().config).config
    setup_logging()
    model, tokenizer = wrap_with_lora(cfg)
    trainer = build_trainer(cfg, model, tokenizer, load_instruct_mix(tokenizer))
    trainer.train()
    wandb.finish()


if __name__ == "__main__":
    main()
`

const dataPy = `"""Loading and tokenizing the instruct mix."""

from datasets import load_dataset


def load_instruct_mix(tokenizer, max_len=2048):
    ds = load_dataset("example-lab/instruct-mix-v3")

    def tokenize(batch):
        text = [tokenizer.apply_chat_template(m, tokenize=False) for m in batch["messages"]]
        return tokenizer(text, truncation=True, max_length=max_len)

    ds = ds.map(tokenize, batched=True, remove_columns=["messages"])
    return {"train": ds["train"], "eval": ds["test"].select(range(4000))}
`

const loraPy = `"""LoRA adapters on the attention projections."""

import torch
from peft import LoraConfig, get_peft_model
from transformers import AutoModelForCausalLM, AutoTokenizer


def wrap_with_lora(cfg):
    tokenizer = AutoTokenizer.from_pretrained(cfg.model_name)
    model = AutoModelForCausalLM.from_pretrained(cfg.model_name, torch_dtype=torch.bfloat16)
    lora = LoraConfig(r=cfg.lora_r, lora_alpha=cfg.lora_alpha, lora_dropout=cfg.lora_dropout,
                      target_modules=list(cfg.target_modules), task_type="CAUSAL_LM")
    model = get_peft_model(model, lora)
    model.print_trainable_parameters()
    return model, tokenizer
`

const loggingPy = `"""Log format shared by the training scripts."""

import logging


def setup_logging(level=logging.INFO):
    logging.basicConfig(format="%(asctime)s %(levelname)-7s %(message)s", level=level)
`

const loraYAML = `model_name: meta-llama/Llama-3.1-8B-Instruct
dataset: instruct-mix-v3
learning_rate: 0.0002
lr_scheduler_type: cosine
warmup_steps: 100
max_steps: 3000
per_device_train_batch_size: 8
gradient_accumulation_steps: 4
lora_r: 16
lora_alpha: 32
lora_dropout: 0.05
target_modules: [q_proj, k_proj, v_proj, o_proj]
seed: 1234
`

const adapterConfigJSON = `{
  "base_model_name_or_path": "meta-llama/Llama-3.1-8B-Instruct",
  "peft_type": "LORA",
  "task_type": "CAUSAL_LM",
  "r": 16,
  "lora_alpha": 32,
  "lora_dropout": 0.05,
  "target_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
  "bias": "none"
}
`

const attentionHTML = `<!doctype html>
<html><head><meta charset="utf-8"><title>Attention map, layer 16</title></head>
<body><h1>Attention map</h1><p>Average over heads, prompt 3.</p>
<table><tr><td>0.61</td><td>0.22</td></tr><tr><td>0.09</td><td>0.71</td></tr></table>
</body></html>
`
